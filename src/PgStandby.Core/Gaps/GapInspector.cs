using PgStandby.Core.Postgres;
using PgStandby.Core.Replication;
using PgStandby.Core.Timelines;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Gaps;

/// <summary>
/// Gathers the facts about the segment a stalled replay waits for: the standby's replay position and pg_control,
/// the repository's own answers (<c>pgbackrest info</c> over SSH, <c>archive-get</c> of that segment), and the
/// WAL receiver's report of the primary's refusal. None of them is text a client can write.
/// </summary>
public sealed class GapInspector(
    PostgresTools tools,
    RepositoryWaiter repositoryInfo,
    ArchivedSegments archive,
    RefusedSegments refused)
{
    /// <summary>Longest one inspection may take (a primary or repository that does not answer).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <param name="sample">The sample that showed replay stuck.</param>
    /// <param name="stuckSince">When replay stopped moving: the primary's refusal must be this recent.</param>
    public async Task<GapVerdict> InspectAsync(ReplicationSample sample, DateTimeOffset stuckSince, CancellationToken cancellationToken)
    {
        if (!Lsn.TryParse(sample.ReplayedLsn, out var replayed))
        {
            return new GapVerdict(GapKind.Unknown, "the replay position is unknown");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var control = await tools.ReadControlDataAsync(limit.Token).ConfigureAwait(false);
        var refusedSegment = refused.Since(stuckSince);
        var timeline = refusedSegment?.Timeline ?? Math.Max(control?.CheckpointTimeline ?? 0, control?.MinRecoveryTimeline ?? 0);
        if (timeline == 0)
        {
            return new GapVerdict(GapKind.Unknown, "neither pg_control nor the WAL receiver tells the standby's timeline");
        }

        var waited = WalSegment.Of(timeline, replayed, control?.WalSegmentBytes);
        var info = await repositoryInfo.PeekAsync(limit.Token).ConfigureAwait(false);
        var inArchive = await archive.ContainsAsync(waited, limit.Token).ConfigureAwait(false);
        var facts = new GapFacts(
            waited,
            inArchive,
            WalSegment.Parse(info?.Backups is [var oldest, ..] ? oldest.ArchiveStart : null),
            WalSegment.Parse(info?.ArchiveNewest),
            refusedSegment);
        return GapVerdict.Classify(facts);
    }
}
