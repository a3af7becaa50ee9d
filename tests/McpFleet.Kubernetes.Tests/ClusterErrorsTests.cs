using System.Net;
using k8s.Autorest;

namespace McpFleet.Kubernetes.Tests;

/// <summary>One line for a failed call to the cluster, the same in deploy's phase failures and in the CLI's error line.</summary>
public sealed class ClusterErrorsTests
{
    private static HttpOperationException ApiError(HttpStatusCode status, string content)
    {
        using var response = new HttpResponseMessage(status);
        return new HttpOperationException($"Operation returned an invalid status code '{status}'")
        {
            Response = new HttpResponseMessageWrapper(response, content),
        };
    }

    [Fact]
    public void Describe_ApiServerStatus_CodeReasonAndBody()
    {
        var e = ApiError(HttpStatusCode.Forbidden, """{"kind":"Status","message":"forbidden"}""");

        Assert.Equal("""403 Forbidden: {"kind":"Status","message":"forbidden"}""", ClusterErrors.Describe(e));
    }

    [Fact]
    public void Describe_EmptyBody_TheClientsMessage()
    {
        var e = ApiError(HttpStatusCode.BadGateway, "");

        Assert.Equal("502 BadGateway: Operation returned an invalid status code 'BadGateway'", ClusterErrors.Describe(e));
    }

    [Fact]
    public void Describe_TransportError_ItsMessage()
    {
        Assert.Equal("Connection refused (127.0.0.1:1)", ClusterErrors.Describe(new HttpRequestException("Connection refused (127.0.0.1:1)")));
    }

    [Fact]
    public void IsClusterError_HttpAndApiErrorsButNotBugs()
    {
        Assert.True(ClusterErrors.IsClusterError(new HttpRequestException("x")));
        Assert.True(ClusterErrors.IsClusterError(ApiError(HttpStatusCode.Conflict, "")));
        Assert.False(ClusterErrors.IsClusterError(new InvalidOperationException("x")));
    }
}
