using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Restore;

/// <summary>Runs <c>pgbackrest restore --type=standby</c> as postgres, its output forwarded to the worker's log.</summary>
public sealed class RestoreRunner(
    ICommandRunner runner,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision,
    ILogger<RestoreRunner> logger)
{
    public IReadOnlyList<string> Arguments(bool delta)
    {
        var arguments = new List<string>
        {
            "--config=" + standby.Value.PgBackRestConfig,
            "--stanza=" + repository.Value.Stanza,
            "--type=standby",
            "--log-level-console=info",
        };
        if (delta)
        {
            arguments.Add("--delta");
        }

        arguments.Add("restore");
        return arguments;
    }

    /// <summary>
    /// Returns pgbackrest's exit code and the last lines it printed. On host stop pgbackrest gets SIGINT
    /// and stops cleanly; the next start resumes with --delta.
    /// </summary>
    public async Task<(int ExitCode, string Tail)> RunAsync(bool delta, CancellationToken stoppingToken)
    {
        var tail = new Queue<string>();
        void OnLine(string line)
        {
            Log.PgBackRestLine(logger, line);
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 5)
                {
                    tail.Dequeue();
                }
            }
        }

        using var forceful = new CancellationTokenSource();
        using var registration = stoppingToken.Register(() => forceful.CancelAfter(supervision.Value.StopTimeout));
        var exitCode = await runner.RunStreamingAsync(new CommandSpec("pgbackrest", Arguments(delta)), OnLine, forceful.Token, stoppingToken).ConfigureAwait(false);
        lock (tail)
        {
            return (exitCode, string.Join(" | ", tail));
        }
    }
}
