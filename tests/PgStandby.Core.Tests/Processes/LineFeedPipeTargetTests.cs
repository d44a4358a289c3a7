using System.Text;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Tests.Processes;

public sealed class LineFeedPipeTargetTests
{
    [Fact]
    public async Task ReadLinesAsync_CarriageReturnInsideALine_StaysInThatLine()
    {
        // Act
        var lines = await ReadAsync("first\rforged\nsecond\r\nthird");

        // Assert
        Assert.Equal(["first\rforged", "second\r", "third"], lines);
    }

    [Fact]
    public async Task ReadLinesAsync_MultiByteCharactersSplitAcrossReads_Decoded()
    {
        // Act: one byte per read.
        var lines = await ReadAsync("é€😀\nü\n", chunk: 1);

        // Assert
        Assert.Equal(["é€😀", "ü"], lines);
    }

    [Fact]
    public async Task ReadLinesAsync_LineLongerThanTheLimit_CutAndItsRestIsNoLine()
    {
        // Arrange: a client's very long user name, then a forged line after the cut.
        var text = new string('x', LineFeedPipeTarget.MaxLineBytes + 10) + "FORGED\nnext\n";

        // Act
        var lines = await ReadAsync(text, chunk: 4096);

        // Assert
        Assert.Equal(2, lines.Count);
        Assert.Equal(new string('x', LineFeedPipeTarget.MaxLineBytes), lines[0]);
        Assert.Equal("next", lines[1]);
    }

    [Fact]
    public async Task ReadLinesAsync_EmptyLines_Kept()
    {
        // Act
        var lines = await ReadAsync("a\n\nb\n");

        // Assert
        Assert.Equal(["a", string.Empty, "b"], lines);
    }

    private static async Task<List<string>> ReadAsync(string text, int chunk = 16384)
    {
        var lines = new List<string>();
        await LineFeedPipeTarget.ReadLinesAsync(new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk), lines.Add, CancellationToken.None);
        return lines;
    }

    /// <summary>Hands out at most <paramref name="chunk"/> bytes per read, as a pipe may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
