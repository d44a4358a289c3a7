using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Supervision;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Restore;

/// <summary>
/// postgres owns PGDATA and may plant links there; the worker, maybe root, reads PG_VERSION, postmaster.pid and
/// backup_label from it. A link is refused (or ignored), never followed: the linked file's text never reaches the log.
/// </summary>
public sealed class DataDirectoryLinkTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly VictimFile _victim;
    private readonly string _data;

    public DataDirectoryLinkTests()
    {
        _victim = new VictimFile(_temp);
        _data = _temp.Combine("data");
        Directory.CreateDirectory(_data);
        File.WriteAllText(Path.Combine(_data, "standby.signal"), string.Empty);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Inspect_PgVersionIsALink_RefusedNamingTheFileWithoutItsContent()
    {
        // Arrange
        _victim.PlantLinkAt(Path.Combine(_data, "PG_VERSION"));

        // Act
        var refusal = Assert.Throws<StandbyException>(() => DataDirectoryInspection.Inspect(_data));

        // Assert
        Assert.Contains("PG_VERSION", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-hash", refusal.Message + refusal.NextStep, StringComparison.Ordinal);
        _victim.AssertUntouched();
    }

    [Fact]
    public void FindPostmaster_PidFileIsALink_Refused()
    {
        // Arrange
        _victim.PlantLinkAt(Path.Combine(_data, "postmaster.pid"));

        // Act
        var refusal = Assert.Throws<StandbyException>(() => RunningPostmaster.Find(_data));

        // Assert
        Assert.Contains("postmaster.pid", refusal.Message, StringComparison.Ordinal);
        _victim.AssertUntouched();
    }

    [Fact]
    public void BackupLabelStart_BackupLabelIsALink_NoSegment()
    {
        // Arrange
        _victim.PlantLinkAt(Path.Combine(_data, "backup_label"));

        // Act
        var segment = WalPrefetch.BackupLabelStart(_data);

        // Assert
        Assert.Null(segment);
        _victim.AssertUntouched();
    }
}
