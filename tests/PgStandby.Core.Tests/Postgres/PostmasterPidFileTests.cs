using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Postgres;

public sealed class PostmasterPidFileTests
{
    [Fact]
    public void Parse_AsPostgresWritesIt_PidSharedMemoryAndStatus()
    {
        // Act
        var file = PostmasterPidFile.Parse("4242\n/var/lib/postgresql/data\n1764000000\n5432\n/run/postgresql\n*\n  5432001    163840\nstandby\n");

        // Assert
        Assert.Equal(new PostmasterPidFile(4242, 163840, "standby"), file);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a pid\n")]
    [InlineData("-1\n")]
    public void Parse_NoPid_PidNull(string content)
    {
        // Act
        var file = PostmasterPidFile.Parse(content);

        // Assert
        Assert.Null(file.Pid);
        Assert.Null(file.SharedMemoryId);
        Assert.Null(file.Status);
    }

    [Fact]
    public void Parse_StillStartingWithoutSharedMemoryLine_OnlyThePid()
    {
        // Act
        var file = PostmasterPidFile.Parse("4242\n/data\n1764000000\n5432\n");

        // Assert
        Assert.Equal(4242, file.Pid);
        Assert.Null(file.SharedMemoryId);
        Assert.False(file.SharedMemoryAttached);
    }
}
