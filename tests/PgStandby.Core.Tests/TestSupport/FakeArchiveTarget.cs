using PgStandby.Core.Replication;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>An archive whose newest segment the test sets: measured against as the real one does, without asking anything.</summary>
internal sealed class FakeArchiveTarget : IArchiveTarget
{
    /// <summary>The archive's newest segment; null: not read (the lag stays unknown).</summary>
    public WalSegment? Newest { get; set; }

    public ReplicationSample Measure(ReplicationSample sample, CancellationToken stoppingToken) =>
        sample.InRecovery && sample.LagBytes is null && sample.StreamingProblem is not null
            ? ArchiveLag.Measure(sample, Newest)
            : sample;
}
