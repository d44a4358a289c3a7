using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Faults;

[Collection(WorldDefinition.Name)]
public sealed class NetworkPartitionTests(PrimaryWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Partition = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReadEvery = TimeSpan.FromSeconds(2);

    [WorldFact]
    public async Task StreamingStandby_PartitionedFromPrimaryForAMinute_ServesReadsThenCatchesUpWithoutRestore()
    {
        await using var standby = world.NewIsolatedStandby("partition");
        var network = standby.Network!;
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var before = await world.WriteProbeRowsAsync("before-partition");
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));

        var badReads = new List<string>();
        var states = new List<string>();
        try
        {
            await network.PartitionAsync();
            await world.WriteProbeRowsAsync("during-partition"); // committed on the primary, out of the standby's reach
            var end = DateTime.UtcNow + Partition;
            while (DateTime.UtcNow < end)
            {
                await ReadDuringPartitionAsync(standby, before, badReads);
                var status = standby.ReadStatus();
                var state = status is { } s ? $"{s.GetProperty("state").GetString()} (lag {s.GetProperty("lag_bytes")} bytes: {s.GetProperty("reason").GetString()})" : "(none)";
                if (states.Count == 0 || states[^1] != state)
                {
                    states.Add(state);
                }

                await Task.Delay(ReadEvery);
            }
        }
        finally
        {
            await network.HealAsync();
        }

        var seen = "states seen during the partition: " + string.Join(" -> ", states);
        output.WriteLine(seen);
        Assert.False(standby.HasExited, "the worker exited during the partition; " + seen + "\n" + standby.Output);
        Assert.True(badReads.Count == 0, "reads failed or differed during the partition:\n" + string.Join('\n', badReads) + "\n" + seen);
        Assert.DoesNotContain(states, s => s.StartsWith("restoring", StringComparison.Ordinal) || s.StartsWith("resyncing", StringComparison.Ordinal) || s.StartsWith("refused", StringComparison.Ordinal));

        var after = await world.WriteProbeRowsAsync("after-partition");
        await standby.WaitForProbeAsync(after, TimeSpan.FromMinutes(2));
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(1));
        Assert.Equal(1, standby.CountLog("restore of backup"));
        Assert.Equal(0, standby.CountLog("Re-syncing"));
        Assert.Equal(0, standby.CountLog("postgres exited unexpectedly"));
    }

    /// <summary>One read during the partition: it must succeed and show exactly the rows committed before it.</summary>
    private static async Task ReadDuringPartitionAsync(StandbyProcess standby, string expected, List<string> badReads)
    {
        var at = DateTime.UtcNow.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var fingerprint = await standby.ProbeFingerprintAsync();
            if (fingerprint != expected)
            {
                badReads.Add($"{at}: probe table {fingerprint}, expected {expected}");
            }
        }
        catch (Npgsql.NpgsqlException exception)
        {
            badReads.Add($"{at}: {exception.Message}");
        }
    }
}
