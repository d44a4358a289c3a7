using System.Diagnostics;
using CliWrap;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Faults;

/// <summary>
/// postgres's stderr goes through the worker's log. Whatever reads the worker's output (a log driver) may stop: the
/// worker then drops log lines past its queue rather than stop reading postgres, whose backends would block on write().
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class StuckLogReaderTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task NobodyReadsTheWorkersOutput_ClientsLoggingEveryStatement_NeverBlock()
    {
        await using var standby = world.NewStandby("stuck-log"); // its folders and environment; started here, not by it
        await standby.PreAuthorizeAsync();
        standby.Environment["PG_SETTINGS"] = "log_statement=all";
        Directory.CreateDirectory(standby.Directory);
        var fifo = Path.Combine(standby.Directory, "log-nobody-reads");
        await Shell.RunAsync("mkfifo", [fifo]);
        using var stop = new CancellationTokenSource();
        using var graceful = new CancellationTokenSource();

        // A reader that holds the pipe open and never reads: the worker's writes block once the pipe's 64 KiB are full.
        var reader = Cli.Wrap("bash").WithArguments(["-c", $"exec sleep 900 < '{fifo}'"]).WithValidation(CommandResultValidation.None).ExecuteAsync(stop.Token);
        var worker = Cli.Wrap("bash").WithArguments(["-c", $"exec '{world.Binary}' > '{fifo}' 2>&1"])
            .WithEnvironmentVariables(standby.Environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(stop.Token, graceful.Token);
        try
        {
            await Eventually.ThatAsync(() => Task.FromResult(standby.State == "streaming"), TimeSpan.FromMinutes(3), () => "never streaming: " + standby.ReadStatus());

            // 20,000 logged statements: far past the pipe, the worker's queue and postgres's own stderr pipe together.
            var clock = Stopwatch.StartNew();
            for (var batch = 0; batch < 20; batch++)
            {
                Assert.Equal("1000", await standby.ScalarAsync("DO $$ BEGIN FOR i IN 1..1000 LOOP RAISE LOG 'statement % of a busy client', i; END LOOP; END $$; SELECT 1000"));
            }

            // Every query above has its own 30 s timeout (Npgsql's default): reaching here means no backend blocked.
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
            Assert.Equal("streaming", standby.State);
            Assert.True(standby.ReadStatus()!.Value.GetProperty("updated_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-15), "the worker's heartbeat stopped");
        }
        finally
        {
            await graceful.CancelAsync();
            await Task.WhenAny(worker.Task, Task.Delay(TimeSpan.FromSeconds(90)));
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(worker.Task, reader.Task);
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }
    }
}
