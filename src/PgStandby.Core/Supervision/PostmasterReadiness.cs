using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Postgres;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Supervision;

/// <summary>
/// Waits until postgres accepts connections: postmaster.pid says so (an adopted postmaster writes no lines to us) and
/// a connection succeeds. Polls, woken early by postgres's own "ready to accept connections" line.
/// </summary>
public sealed class PostmasterReadiness(IStandbyQueries queries, IOptions<StandbyOptions> standby, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <returns>True once ready; false when <paramref name="exited"/> is cancelled first (postgres exited, the worker stops).</returns>
    public async Task<bool> WaitAsync(Task readyLine, CancellationToken exited)
    {
        try
        {
            var dataDirectory = standby.Value.DataDirectory;
            while (!PostmasterStatus.IsAcceptingConnections(dataDirectory) || !await queries.IsAcceptingConnectionsAsync(exited).ConfigureAwait(false))
            {
                // A line seen once wakes no further poll.
                var poll = Task.Delay(Poll, time, exited);
                await (readyLine.IsCompleted ? poll : Task.WhenAny(poll, readyLine)).ConfigureAwait(false);
                exited.ThrowIfCancellationRequested();
            }

            return true;
        }
        catch (OperationCanceledException) when (exited.IsCancellationRequested)
        {
            return false;
        }
    }
}
