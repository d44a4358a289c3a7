using PgStandby.Core.Ssh;

namespace PgStandby.Core.Tests.Ssh;

public sealed class RemoteResultTests
{
    [Fact]
    public void Tail_StandardError_LastLinesJoined()
    {
        // Arrange
        var result = new RemoteResult(49, "ignored", "l1\nl2\n\n  l3  \nl4\nl5\nl6\n");

        // Act
        var tail = result.Tail(3);

        // Assert
        Assert.Equal("l4 | l5 | l6", tail);
    }

    [Fact]
    public void Tail_EmptyStandardError_UsesStandardOutput()
    {
        // Arrange
        var result = new RemoteResult(1, "out1\nout2\n", "  \n");

        // Act
        var tail = result.Tail();

        // Assert
        Assert.Equal("out1 | out2", tail);
    }
}
