using PgStandby.Core.Restore;
using PgStandby.Core.Timelines;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Restore;

public sealed class BackupChoiceTests
{
    /// <summary>Timeline 1 backups at 0/2000000 and 0/9000000, then one on timeline 2 (the standby's failover) at 0/C000000.</summary>
    private static readonly BackupEntry[] Backups =
    [
        new("20260301-120000F", "000000010000000000000002", "000000010000000000000002", 0x2000028, 0x2000138, 100),
        new("20260302-120000F", "000000010000000000000009", "000000010000000000000009", 0x9000028, 0x9000138, 100),
        new("20260303-120000F", "00000002000000000000000C", "00000002000000000000000C", 0xC000028, 0xC000138, 100),
    ];

    [Fact]
    public void Choose_NoBranch_TheNewest()
    {
        // Act
        var choice = BackupChoice.Choose(Backups, null);

        // Assert
        Assert.Equal("20260303-120000F", choice.Backup?.Label);
    }

    [Fact]
    public void Choose_PrimaryLeftTimeline1BetweenTheTwoBackups_TheNewestBeforeTheForkPoint()
    {
        // Arrange: the primary, restored to 0/5000000 on timeline 1, now runs timeline 3.
        var branch = new PrimaryBranch(3, [new TimelineSwitch(1, 0x5000000)]);

        // Act
        var choice = BackupChoice.Choose(Backups, branch);

        // Assert
        Assert.Equal("20260301-120000F", choice.Backup?.Label);
        Assert.Contains("left at 0/5000000", choice.Why, StringComparison.Ordinal);
        Assert.Contains("the 2 newer one(s) lie off that branch", choice.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_BackupOnThePrimarysTimeline_ThatOne()
    {
        // Arrange
        var branch = new PrimaryBranch(2, [new TimelineSwitch(1, 0xA000000)]);

        // Act and Assert
        Assert.Equal("20260303-120000F", BackupChoice.Choose(Backups, branch).Backup?.Label);
    }

    [Fact]
    public void Choose_ForkInsideTheBackupsWal_NotThatBackup()
    {
        // Arrange: timeline 1 left at 0/9000100, after the backup starts but before it is consistent (0/9000138).
        var branch = new PrimaryBranch(3, [new TimelineSwitch(1, 0x9000100)]);

        // Act and Assert
        Assert.Equal("20260301-120000F", BackupChoice.Choose(Backups, branch).Backup?.Label);
    }

    [Fact]
    public void Choose_ForkBeforeEveryBackup_NoneWithWhy()
    {
        // Arrange
        var branch = new PrimaryBranch(3, [new TimelineSwitch(1, 0x1000000)]);

        // Act
        var choice = BackupChoice.Choose(Backups, branch);

        // Assert
        Assert.Null(choice.Backup);
        Assert.Contains("no backup lies on the primary's timeline 3", choice.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NoLsnPrinted_UsesTheEndOfTheStopSegment()
    {
        // Arrange: the backup's WAL stops in segment 2, which ends at 0/3000000.
        BackupEntry[] backups = [new("20260301-120000F", "000000010000000000000002", "000000010000000000000002", null, null, 100)];

        // Act and Assert
        Assert.Null(BackupChoice.Choose(backups, new PrimaryBranch(2, [new TimelineSwitch(1, 0x2FFFFFF)])).Backup);
        Assert.NotNull(BackupChoice.Choose(backups, new PrimaryBranch(2, [new TimelineSwitch(1, 0x3000000)])).Backup);
    }
}
