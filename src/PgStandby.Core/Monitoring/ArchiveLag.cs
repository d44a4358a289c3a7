using PgStandby.Core.Timelines;
using PgStandby.Core.Postgres;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Monitoring;

/// <summary>
/// The lag of a standby whose primary cannot be asked (no replication login), measured against the archive's newest
/// WAL instead. pgBackRest's archive max spans every timeline of the archive id: a max on another timeline than
/// replay's is a fork to look into, never a lag.
/// </summary>
public static class ArchiveLag
{
    /// <summary>
    /// The sample with the lag from its replayed position to the end of <paramref name="newest"/>: 0 once replay has
    /// reached that segment (the rest of it may be a record that goes on in a segment not archived yet), so only a
    /// whole archived segment replay has not reached counts as the archive being ahead.
    /// </summary>
    public static ReplicationSample Measure(ReplicationSample sample, WalSegment? newest)
    {
        if (newest is null)
        {
            return sample;
        }

        var measured = sample with { ArchiveNewest = newest };
        if (sample.ReplayTimeline != newest.Timeline || !Lsn.TryParse(sample.ReplayedLsn, out var replayed))
        {
            return measured;
        }

        var replaying = WalSegment.Of(newest.Timeline, replayed, sample.WalSegmentBytes);
        var end = newest.EndLsn(sample.WalSegmentBytes);
        long lag = newest.Position > replaying.Position && end > replayed ? checked((long)(end - replayed)) : 0;
        return measured with { LagBytes = lag, LagSeconds = NpgsqlStandbyQueries.LagSeconds(lag, sample.LastReplayAgeSeconds) };
    }
}
