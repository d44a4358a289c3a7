using PgStandby.Core.Gaps;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Gaps;

public sealed class GapVerdictTests
{
    private static WalSegment S(string name) => WalSegment.Parse(name)!;

    [Fact]
    public void Classify_MissingOlderThanOldestBackupAndRefusedByPrimary_Expired()
    {
        // Arrange
        var waited = S("000000010000000000000005");
        var facts = new GapFacts(waited, InArchive: false, OldestBackupStart: S("00000001000000000000000C"), ArchiveNewest: S("000000010000000000000010"), RefusedByPrimary: waited);

        // Act
        var verdict = GapVerdict.Classify(facts);

        // Assert
        Assert.Equal(GapKind.Expired, verdict.Kind);
        Assert.Contains("older than the oldest backup's WAL start 00000001000000000000000C", verdict.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_WaitedOnAnOlderTimelineBeforeTheOldestBackup_Expired()
    {
        // Arrange: the oldest backup was taken after a promotion; the standby is still on the timeline before it.
        var waited = S("000000010000000000000005");
        var facts = new GapFacts(waited, false, S("00000002000000000000000C"), S("000000020000000000000010"), S("000000010000000000000005"));

        // Act and Assert
        Assert.Equal(GapKind.Expired, GapVerdict.Classify(facts).Kind);
    }

    [Fact]
    public void Classify_PrimaryDidNotRefuse_Unknown()
    {
        // Arrange: the primary is down, or was never asked: it may still send the segment.
        var facts = new GapFacts(S("000000010000000000000005"), false, S("00000001000000000000000C"), S("000000010000000000000010"), RefusedByPrimary: null);

        // Act
        var verdict = GapVerdict.Classify(facts);

        // Assert
        Assert.Equal(GapKind.Unknown, verdict.Kind);
        Assert.Contains("the primary has not said it removed it", verdict.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_PrimaryRefusedAnotherSegment_Unknown()
    {
        // Arrange
        var facts = new GapFacts(S("000000010000000000000005"), false, S("00000001000000000000000C"), S("000000010000000000000010"), S("000000010000000000000004"));

        // Act and Assert
        Assert.Equal(GapKind.Unknown, GapVerdict.Classify(facts).Kind);
    }

    [Fact]
    public void Classify_MissingButNewerThanTheOldestBackup_UnknownNotExpired()
    {
        // Arrange: a hole in the archive after the oldest backup (expire never removes those).
        var waited = S("000000010000000000000005");
        var facts = new GapFacts(waited, false, S("000000010000000000000002"), S("000000010000000000000010"), waited);

        // Act
        var verdict = GapVerdict.Classify(facts);

        // Assert
        Assert.Equal(GapKind.Unknown, verdict.Kind);
        Assert.Contains("it was not expired", verdict.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_WaitedOnANewerTimelineThanTheOldestBackupAtAnEarlierPosition_NotExpired()
    {
        // Arrange: positions alone would say older; timeline 2 is not one the backup's timeline 1 can expire.
        var waited = S("000000020000000000000005");
        var facts = new GapFacts(waited, false, S("00000001000000000000000C"), S("000000010000000000000010"), waited);

        // Act and Assert
        Assert.Equal(GapKind.Unknown, GapVerdict.Classify(facts).Kind);
    }

    [Fact]
    public void Classify_NewerThanTheArchivesNewest_ArchiveBehind()
    {
        // Arrange
        var facts = new GapFacts(S("000000010000000000000012"), false, S("000000010000000000000002"), S("000000010000000000000010"), RefusedByPrimary: null);

        // Act
        var verdict = GapVerdict.Classify(facts);

        // Assert
        Assert.Equal(GapKind.ArchiveBehind, verdict.Kind);
        Assert.Contains("newer than the archive's newest 000000010000000000000010", verdict.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_FurtherThanTheNewestButOnAnOlderTimeline_NotArchiveBehind()
    {
        // Arrange: the archive's max is on timeline 2; timeline 1 at 0x12 is past where the primary left it, not late.
        var facts = new GapFacts(S("000000010000000000000012"), false, S("000000010000000000000002"), S("000000020000000000000010"), null);

        // Act and Assert
        Assert.Equal(GapKind.Unknown, GapVerdict.Classify(facts).Kind);
    }

    [Fact]
    public void Classify_NewerThanTheArchiveButRefusedByThePrimary_NotArchiveBehind()
    {
        // Arrange: postgres never removes a segment it has not archived: the facts disagree.
        var waited = S("000000010000000000000012");
        var facts = new GapFacts(waited, false, S("000000010000000000000002"), S("000000010000000000000010"), waited);

        // Act and Assert
        Assert.Equal(GapKind.Unknown, GapVerdict.Classify(facts).Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(null)]
    public void Classify_InTheArchiveOrNotAsked_Unknown(bool? inArchive)
    {
        // Arrange
        var waited = S("000000010000000000000005");
        var facts = new GapFacts(waited, inArchive, S("00000001000000000000000C"), S("000000010000000000000010"), waited);

        // Act and Assert
        Assert.Equal(GapKind.Unknown, GapVerdict.Classify(facts).Kind);
    }

    [Fact]
    public void Classify_OldestBackupUnknown_Unknown()
    {
        // Arrange: pgbackrest info could not be read.
        var waited = S("000000010000000000000005");

        // Act and Assert
        Assert.Equal(GapKind.Unknown, GapVerdict.Classify(new GapFacts(waited, false, null, null, waited)).Kind);
    }
}
