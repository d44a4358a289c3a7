using PgStandby.Core.Diagnostics;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Diagnostics;

public sealed class ReplicationSampledLineTests
{
    [Fact]
    public void A_full_sample_reads_as_figures()
    {
        var logger = new CapturingLogger();

        Log.ReplicationSampled(logger, "streaming", 0, 0.25, "0/4000000", "0/403F148");

        Assert.Equal("Replication: streaming, lag 0 bytes / 0.25 s, received 0/4000000, replayed 0/403F148", Assert.Single(logger.Messages));
    }

    [Fact]
    public void What_is_not_known_yet_is_said_so_instead_of_null()
    {
        var logger = new CapturingLogger();

        Log.ReplicationSampled(logger, "catching_up_from_archive", 96, null, null, "0/4000000");

        var line = Assert.Single(logger.Messages);
        Assert.Equal("Replication: catching_up_from_archive, lag 96 bytes / seconds unknown, received nothing yet, replayed 0/4000000", line);
        Assert.DoesNotContain("null", line, StringComparison.Ordinal);
    }
}
