namespace PgStandby.Core.Gaps;

/// <summary>What kind of gap replay is stuck on, and the facts that say so.</summary>
public sealed record GapVerdict(GapKind Kind, string Why)
{
    /// <summary>
    /// Expired only when all three sources agree: the archive lacks the segment, the segment is older than the
    /// oldest retained backup's WAL start (compared by position, on a timeline no newer than that backup's: info's
    /// archive min and max span every timeline of an archive id and say nothing of this), and the primary refused it.
    /// Archive behind: the segment is newer by name than the archive's newest, and the primary did not refuse it.
    /// </summary>
    public static GapVerdict Classify(GapFacts facts)
    {
        var waited = facts.Waited;
        if (facts.InArchive is not false)
        {
            return new(GapKind.Unknown, facts.InArchive is true
                ? $"segment {waited} is in the archive, yet replay does not go on"
                : $"whether segment {waited} is in the archive could not be asked");
        }

        var refused = facts.RefusedByPrimary is { } r && r.Position == waited.Position;
        if (facts.ArchiveNewest is { } newest && waited.IsNewerByNameThan(newest) && !refused)
        {
            return new(GapKind.ArchiveBehind, $"segment {waited} is newer than the archive's newest {newest}: the primary has not archived it yet");
        }

        if (facts.OldestBackupStart is not { } start)
        {
            return new(GapKind.Unknown, $"segment {waited} is not in the archive; the repository's oldest backup is unknown");
        }

        var older = waited.Timeline <= start.Timeline && waited.Position < start.Position;
        if (!older)
        {
            return new(GapKind.Unknown, $"segment {waited} is not in the archive but is not older than the oldest backup's WAL start {start}: it was not expired");
        }

        return refused
            ? new(GapKind.Expired, $"segment {waited} is not in the archive, is older than the oldest backup's WAL start {start} (pgBackRest's expire removed it), and the primary has already removed it")
            : new(GapKind.Unknown, $"segment {waited} is not in the archive and is older than the oldest backup's WAL start {start}, but the primary has not said it removed it");
    }
}
