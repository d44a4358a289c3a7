using PgStandby.Core.Postgres;

namespace PgStandby.Core.Gaps;

/// <summary>
/// What the worker knows about the segment replay waits for, each from a source no client controls.
/// </summary>
/// <param name="Waited">The segment that holds the replay position, on the standby's timeline.</param>
/// <param name="InArchive">What <c>pgbackrest archive-get</c> answered for it: true, false, or null when it could not be asked.</param>
/// <param name="OldestBackupStart">archive.start of the oldest backup the repository keeps (pgbackrest info): expire removes the WAL before it.</param>
/// <param name="ArchiveNewest">The newest segment of the current archive (pgbackrest info's archive max).</param>
/// <param name="RefusedByPrimary">The segment the primary's walsender said it has already removed, as the WAL receiver logged it during this stall.</param>
public sealed record GapFacts(WalSegment Waited, bool? InArchive, WalSegment? OldestBackupStart, WalSegment? ArchiveNewest, WalSegment? RefusedByPrimary);
