namespace PgStandby.Core.Gaps;

/// <summary>Why replay waits for a WAL segment nobody sends.</summary>
public enum GapKind
{
    /// <summary>The facts do not say: PGSTANDBY_RESYNC_ON_GAP decides.</summary>
    Unknown,

    /// <summary>Gone for good: not in the archive, older than the oldest backup's WAL (expire removed it), and the primary removed it too.</summary>
    Expired,

    /// <summary>Newer than anything the archive holds: the primary's archiving is behind, the segment will come.</summary>
    ArchiveBehind,
}
