using PgStandby.Core.Postgres;

namespace PgStandby.Core.Repository;

/// <summary>One backup as <c>pgbackrest info --output=json</c> lists it: its label, where its WAL starts and stops, its size.</summary>
/// <param name="ArchiveStart">archive.start: the first WAL segment the backup needs (its timeline is the backup's).</param>
/// <param name="StartLsn">lsn.start, when pgBackRest prints it.</param>
/// <param name="StopLsn">lsn.stop: the backup is consistent once replay reaches it.</param>
public sealed record BackupEntry(string Label, string? ArchiveStart, string? ArchiveStop, ulong? StartLsn, ulong? StopLsn, long? Size)
{
    /// <summary>The backup's timeline, from its first WAL segment's name; null when pgBackRest did not print one.</summary>
    public int? Timeline => WalSegment.Parse(ArchiveStart)?.Timeline;
}
