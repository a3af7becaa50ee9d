using McpFleet.Gateway.Federation;

namespace McpFleet.Gateway.Tests.Federation;

public sealed class CursorTests
{
    [Fact]
    public void DecodeCursor_EncodedPosition_RoundTrips() =>
        Assert.Equal(("notes", 17), CatalogSnapshot.DecodeCursor(CatalogSnapshot.EncodeCursor("notes", 17)));

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("djEvbm90ZXM")] // v1/notes without an index
    public void DecodeCursor_NotOurs_Null(string cursor) => Assert.Null(CatalogSnapshot.DecodeCursor(cursor));

    [Theory]
    [InlineData("notes", "notes_add", '_', "add")]
    [InlineData("notes", "notes+file:///a", '+', "file:///a")]
    [InlineData("notes", "notesx_add", '_', null)]
    [InlineData("notes", "notes_", '_', null)]
    public void Strip_Prefix_OwnName(string prefix, string exposed, char separator, string? own) =>
        Assert.Equal(own, Naming.Strip(prefix, exposed, separator));
}
