using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Ssh;
using PgStandby.Core.Postgres;
using PgStandby.Core.Repository;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Monitoring;

/// <summary>
/// While the primary cannot be asked (no replication login), reads the repository's newest archived WAL with
/// <c>pgbackrest info</c> on the primary's host over the worker's SSH connection (the forced command refuses
/// <c>info:remote</c>), in the background and at most every <see cref="AskEvery"/>: the lag and the stall detection
/// then measure against it. An SSH or pgBackRest failure leaves the lag unknown, as before.
/// </summary>
public sealed class ArchiveTarget(
    IRemoteShell primary,
    RepositoryWaiter repositoryInfo,
    IOptions<RepositoryOptions> repository,
    TimeProvider time,
    ILogger<ArchiveTarget> logger) : IArchiveTarget
{
    /// <summary>The slow pace: each ask is an SSH login and a pgBackRest run on the primary's host.</summary>
    public static readonly TimeSpan AskEvery = TimeSpan.FromMinutes(1);

    /// <summary>Longest one ask may take (a primary's host that does not answer).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private WalSegment? _newest;
    private DateTimeOffset _nextAsk = DateTimeOffset.MinValue;
    private bool _asking;
    private int _generation;
    private string? _problem;
    private (int Archive, int Replay)? _forkLogged;

    /// <summary>The last ask started; it never faults (for tests: a positive signal that the answer is in).</summary>
    internal Task Asking { get; private set; } = Task.CompletedTask;

    public ReplicationSample Measure(ReplicationSample sample, CancellationToken stoppingToken)
    {
        if (!sample.InRecovery || sample.LagBytes is not null || sample.StreamingProblem is null)
        {
            // The primary's position, when known, always wins: a reading from before would be stale when it is needed again.
            Forget();
            return sample;
        }

        int? generation = null;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_asking && now >= _nextAsk)
            {
                (_asking, _nextAsk, generation) = (true, now + AskEvery, _generation);
            }
        }

        if (generation is { } asked)
        {
            Asking = AskAsync(asked, stoppingToken);
        }

        var measured = ArchiveLag.Measure(sample, Newest());
        if (measured is { ArchiveOnAnotherTimeline: true, ArchiveNewest: { } newest, ReplayTimeline: { } replay } && _forkLogged != (newest.Timeline, replay))
        {
            // Once per pair of timelines: the archive's newest segment moves on every minute.
            _forkLogged = (newest.Timeline, replay);
            Log.ArchiveOnAnotherTimeline(logger, newest.Name, newest.Timeline, replay);
        }

        return measured;
    }

    private WalSegment? Newest()
    {
        lock (_gate)
        {
            return _newest;
        }
    }

    private void Forget()
    {
        lock (_gate)
        {
            _newest = null;
            _generation++;
        }
    }

    private async Task AskAsync(int generation, CancellationToken stoppingToken)
    {
        WalSegment? newest = null;
        string? problem = null;
        try
        {
            using var expiry = new CancellationTokenSource(Limit, time);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, expiry.Token);
            (newest, problem) = await ReadAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (PrimaryUnavailableException exception)
        {
            problem = exception.Message;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops: nothing to report.
        }
        catch (OperationCanceledException)
        {
            problem = $"pgbackrest info on {repository.Value.PrimaryHost} did not answer within {Limit.TotalSeconds:0} s";
        }
#pragma warning disable CA1031 // an ask in the background must never end the worker: the lag stays unknown and the reason is logged
        catch (Exception exception)
#pragma warning restore CA1031
        {
            problem = $"{exception.GetType().Name}: {exception.Message}";
        }

        bool changed;
        lock (_gate)
        {
            _asking = false;
            if (generation == _generation)
            {
                _newest = newest;
            }

            (changed, _problem) = (problem != _problem, problem);
        }

        if (changed && problem is not null)
        {
            Log.ArchiveNotRead(logger, problem);
        }
    }

    private async Task<(WalSegment? Newest, string? Problem)> ReadAsync(CancellationToken cancellationToken)
    {
        var result = (await primary.RunPgBackRestAsync([repositoryInfo.InfoArguments()], cancellationToken).ConfigureAwait(false))[0];
        if (result.ExitCode != 0)
        {
            return (null, $"pgbackrest info exited {result.ExitCode} on {repository.Value.PrimaryHost}: {result.Tail(2)}");
        }

        try
        {
            var max = RepositoryInfo.Parse(result.StandardOutput, repository.Value.Stanza).ArchiveNewest;
            return WalSegment.Parse(max) is { } newest
                ? (newest, null)
                : (null, $"pgbackrest info lists no archived WAL for the current database of stanza {repository.Value.Stanza}");
        }
        catch (JsonException exception)
        {
            return (null, exception.Message);
        }
    }
}
