using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Processes;

public sealed class DataDirectoryLockTests
{
    [Fact]
    public void TryAcquire_HeldByAnother_FalseUntilReleased()
    {
        // Arrange
        using var data = new TempDirectory();
        using var first = new DataDirectoryLock();
        using var second = new DataDirectoryLock();

        // Act
        var firstTook = first.TryAcquire(data.Path);
        var secondTookWhileHeld = second.TryAcquire(data.Path);
        first.Dispose();
        var secondTookAfterRelease = second.TryAcquire(data.Path);

        // Assert
        Assert.True(firstTook);
        Assert.False(secondTookWhileHeld);
        Assert.True(secondTookAfterRelease);
        Assert.Empty(Directory.EnumerateFileSystemEntries(data.Path));
    }

    [Fact]
    public void TryAcquire_MissingFolder_ThrowsIOException()
    {
        // Arrange
        using var data = new TempDirectory();
        using var dataLock = new DataDirectoryLock();

        // Act
        var exception = Record.Exception(() => dataLock.TryAcquire(data.Combine("missing")));

        // Assert
        Assert.IsType<IOException>(exception);
    }
}
