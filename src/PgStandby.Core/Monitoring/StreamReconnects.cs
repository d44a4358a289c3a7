using PgStandby.Core.Replication;

namespace PgStandby.Core.Monitoring;

/// <summary>
/// Tells from the replication samples when the stream (re)connects: the first sample, the primary answering the
/// replication login again after it did not, or the WAL receiver streaming again. The timelines are compared then,
/// not at every sample: each comparison is a replication login on the primary.
/// </summary>
public sealed class StreamReconnects
{
    private bool _seen;
    private bool _answered;
    private bool _streaming;

    /// <returns>What (re)connected, or null.</returns>
    public string? Observe(ReplicationSample sample)
    {
        var answered = sample.StreamingProblem is null;
        var streaming = sample.WalReceiverStatus == "streaming";
        string? trigger = null;
        if (sample.InRecovery)
        {
            trigger = !_seen ? "the first sample"
                : answered && !_answered ? "the primary answers the replication login again"
                : streaming && !_streaming ? "the WAL receiver streams again"
                : null;
        }

        (_seen, _answered, _streaming) = (true, answered, streaming);
        return trigger;
    }
}
