using System.Text;
using McpFleet.IO;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.IO;

public sealed class InputFileTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-input-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Read_Utf8WithByteOrderMark_ReturnsTheTextWithoutIt()
    {
        var path = File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("name: é\n")).ToArray());

        var read = InputFile.Read(path);

        Assert.True(read.Success);
        Assert.Equal("name: é\n", read.Text);
    }

    [Fact]
    public void Read_Utf16WithByteOrderMark_DecodesIt()
    {
        var path = File(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("a: 1\n")).ToArray());

        Assert.Equal("a: 1\n", InputFile.Read(path).Text);
    }

    [Fact]
    public void Read_InvalidUtf8_IsAnErrorAtItsLineAndColumnNotAReplacementCharacter()
    {
        var path = File([.. "a: 1\nbb: "u8, 0xFF, .. "x\n"u8]);

        var read = InputFile.Read(path);

        Assert.Equal(new InputError(InputErrorKind.NotText, "is not UTF-8 text: byte 0xFF is not valid UTF-8 here; save the file as UTF-8", 2, 5), read.Error);
    }

    [Fact]
    public void Read_NulByte_IsAnErrorAtItsLineAndColumn()
    {
        var path = File("a: 1\nb: x\0y\n"u8.ToArray());

        var read = InputFile.Read(path);

        Assert.Equal(new InputError(InputErrorKind.NotText, "holds a NUL byte: binary data, not text", 2, 5), read.Error);
    }

    [Fact]
    public async Task Read_Fifo_IsRefusedWithoutBlocking()
    {
        var fifo = SpecialFiles.Fifo(Path.Combine(_temp, "a.yaml"));

        var read = await Task.Run(() => InputFile.Read(fifo), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(new InputError(InputErrorKind.NotAFile, "is a named pipe (FIFO), not a regular file"), read.Error);
        Assert.False(InputFile.StartsWith(fifo, "#"));
    }

    [Theory]
    [InlineData("/dev/zero", "is a character device, not a regular file")]
    [InlineData("/dev/null", "is a character device, not a regular file")]
    [InlineData("/", "is a directory, not a file")]
    public void Read_NotARegularFile_IsRefusedWithOneLine(string path, string message)
    {
        Assert.Equal(new InputError(InputErrorKind.NotAFile, message), InputFile.Read(path).Error);
    }

    [Fact]
    public void Read_DanglingSymlink_SaysWhereItPoints()
    {
        var link = SpecialFiles.DanglingLink(Path.Combine(_temp, ".#a.yaml"));

        Assert.Equal(new InputError(InputErrorKind.NotAFile, "is a symbolic link to 'user@host.1234', which does not exist"), InputFile.Read(link).Error);
    }

    [Fact]
    public void Read_SymlinkToAFile_ReadsTheFileItNames()
    {
        var target = File("kind: Namespace\n"u8.ToArray());
        var link = Path.Combine(_temp, "link.yaml");
        System.IO.File.CreateSymbolicLink(link, target);

        Assert.Equal("kind: Namespace\n", InputFile.Read(link).Text);
    }

    [Fact]
    public void Read_SymlinkLoop_IsRefusedAsALoop()
    {
        var a = Path.Combine(_temp, "a.yaml");
        System.IO.File.CreateSymbolicLink(a, Path.Combine(_temp, "b.yaml"));
        System.IO.File.CreateSymbolicLink(Path.Combine(_temp, "b.yaml"), a);

        Assert.Equal(new InputError(InputErrorKind.NotAFile, "is a loop of symbolic links"), InputFile.Read(a).Error);
    }

    [Fact]
    public void Read_Missing_IsMissing()
    {
        Assert.Equal(InputErrorKind.Missing, InputFile.Read(Path.Combine(_temp, "nope")).Error!.Kind);
    }

    [Fact]
    public void Read_LargerThanTheLimit_IsRefused()
    {
        var path = File(new byte[2048]);

        var read = InputFile.Read(path, maxBytes: 1024);

        Assert.Equal(InputErrorKind.TooLarge, read.Error!.Kind);
    }

    [Fact]
    public void Read_ProcFileThatSaysItIsEmpty_IsReadToItsEnd()
    {
        Assert.Contains("Pid:", InputFile.Read("/proc/self/status").Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StreamOverTheLimit_IsRefused()
    {
        using var stream = new MemoryStream(new byte[2048]);

        var read = await InputFile.ReadAsync(stream, 1024, TestContext.Current.CancellationToken);

        Assert.Equal(InputErrorKind.TooLarge, read.Error!.Kind);
    }

    [Fact]
    public async Task ReadAsync_StreamThatNeverAnswers_StopsWhenCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var never = new NeverStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => InputFile.ReadAsync(never, 1024, cts.Token));
    }

    private string File(byte[] bytes)
    {
        var path = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    // A terminal that nobody types into: reads never complete and ignore cancellation.
    private sealed class NeverStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(new TaskCompletionSource<int>().Task);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
