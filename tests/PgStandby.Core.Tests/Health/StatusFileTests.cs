using PgStandby.Core.Health;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Health;

public sealed class StatusFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_Snapshot_ReadsBackEqual()
    {
        // Arrange
        var snapshot = Snapshot() with { LagBytes = 10, LagSeconds = 0.5, PublicKey = SampleKeys.Ed25519PublicKeyLine, PrimaryHost = "primary" };

        // Act
        StatusFile.Write(_temp.Path, snapshot);
        var read = StatusFile.Read(_temp.Path);

        // Assert
        Assert.Equal(snapshot, read);
    }

    [Fact]
    public void Write_Twice_LeavesOnlyStatusJsonReadableByAll()
    {
        // Act
        StatusFile.Write(_temp.Path, Snapshot());
        StatusFile.Write(_temp.Path, Snapshot() with { State = "streaming" });

        // Assert
        var file = Assert.Single(Directory.GetFiles(_temp.Path));
        Assert.Equal(StatusFile.PathIn(_temp.Path), file);
        Assert.Equal("streaming", StatusFile.Read(_temp.Path)!.State);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(file));
    }

    [Fact]
    public void Read_NoFile_ReturnsNull()
    {
        // Act
        var read = StatusFile.Read(_temp.Path);

        // Assert
        Assert.Null(read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"state\": ")]
    [InlineData("{\"reason\": \"missing required state\"}")]
    public void Read_CorruptFile_ReturnsNull(string content)
    {
        // Arrange
        _temp.WriteFile(StatusFile.FileName, content);

        // Act
        var read = StatusFile.Read(_temp.Path);

        // Assert
        Assert.Null(read);
    }

    private static StatusSnapshot Snapshot() => new()
    {
        State = "waiting_for_backup",
        Since = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        Reason = "no backup",
        NextStep = "take one",
        Pid = 99,
        UpdatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 5, TimeSpan.Zero),
    };

    [Theory]
    [InlineData("")]
    [InlineData(".tmp")]
    public void Write_LinkPlantedAtTheFinalOrOldTemporaryName_TargetUntouched(string linkSuffix)
    {
        // Arrange
        var victim = new VictimFile(_temp);
        var folder = _temp.CreateFolder("run");
        victim.PlantLinkAt(StatusFile.PathIn(folder) + linkSuffix);

        // Act
        StatusFile.Write(folder, Snapshot());

        // Assert
        victim.AssertUntouched();
        VictimFile.AssertRegularFile(
            StatusFile.PathIn(folder),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    [Fact]
    public void Read_StatusIsALink_ReturnsNullWithoutReadingTheTarget()
    {
        // Arrange
        var victim = new VictimFile(_temp);
        victim.PlantLinkAt(StatusFile.PathIn(_temp.Path));

        // Act
        var read = StatusFile.Read(_temp.Path);

        // Assert
        Assert.Null(read);
        Assert.Throws<StandbyException>(() => StatusFile.ReadRaw(_temp.Path));
    }
}
