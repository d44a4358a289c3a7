using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PgStandby.Core;
using PgStandby.Core.Configuration;
using PgStandby.Core.Health;
using PgStandby.Core.Promotion;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Worker.Cli;

/// <summary>
/// <c>pgstandby promote [--force] [--max-wait S] [--wait S]</c>: the supported failover, run where the worker runs
/// (docker exec, kubectl exec, a shell on the VM). It talks to the running worker through its files: the status
/// says the worker is there, the request in PGSTANDBY_STATE_DIR says the promotion was asked for.
/// </summary>
internal static class PromoteCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration, IReadOnlyList<string> arguments)
    {
        var (options, problem) = PromoteOptions.Parse(arguments);
        if (options is null)
        {
            Console.Error.WriteLine("pgstandby promote: " + problem);
            return 64;
        }

        var runDirectory = CliOptions.Standby(configuration).RunDirectory;
        var snapshot = StatusFile.Read(runDirectory);
        if (snapshot is null || !HealthReport.IsWorkerAlive(snapshot.Pid))
        {
            Console.Error.WriteLine($"pgstandby promote: no running worker wrote {StatusFile.PathIn(runDirectory)}: promote runs beside the running worker (docker exec, kubectl exec, a shell on the VM, with the same environment); start it, or check PGSTANDBY_RUN_DIR.");
            return 1;
        }

        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging()
            .AddPgStandbyCore()

            // The worker's services (SSH, options), but the running worker's status file stays the worker's own.
            .AddSingleton(p => new HealthState(
                p.GetRequiredService<IOptions<StandbyOptions>>(),
                p.GetRequiredService<IOptions<RepositoryOptions>>(),
                p.GetRequiredService<IOptions<SupervisionOptions>>(),
                TimeProvider.System,
                NullLogger<HealthState>.Instance) { Detached = true });
        await using var provider = services.BuildServiceProvider();
        var problems = StartupCheck.ConfigurationProblems(provider);
        if (problems.Count > 0)
        {
            Console.Error.WriteLine("pgstandby promote: the configuration is not valid (use the worker's environment):");
            foreach (var line in problems)
            {
                Console.Error.WriteLine("  - " + line);
            }

            return ExitCodes.NeedsOperator;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return await provider.GetRequiredService<Promoter>().PromoteAsync(options, Console.WriteLine, stop.Token).ConfigureAwait(false);
    }
}
