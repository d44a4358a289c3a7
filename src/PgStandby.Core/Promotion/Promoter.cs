using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Replication;
using PgStandby.Core.Ssh;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Promotion;

/// <summary>
/// <c>pgstandby promote</c>, run beside the running worker: refuses while the old primary still answers (unless
/// forced), lets postgres replay what the archive holds, promotes, and waits for the worker to run the node as a
/// primary. Exit 0 once promoted, 1 when not (the node stays a standby).
/// </summary>
public sealed class Promoter(
    ILocalNode node,
    IStandbyQueries queries,
    IRemoteShell primaryShell,
    RepositoryWaiter repositoryInfo,
    FolderPreparer folders,
    IOptions<StandbyOptions> standby,
    IOptions<RepositoryOptions> repository,
    IOptions<ReplicationOptions> replication,
    TimeProvider time)
{
    /// <summary>Replay that has not moved for this long has replayed what the archive holds (postgres retries restore_command every 5 s).</summary>
    public static readonly TimeSpan Settled = TimeSpan.FromSeconds(12);

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WorkerTakesOver = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InfoTimeout = TimeSpan.FromSeconds(30);

    public async Task<int> PromoteAsync(PromoteOptions options, Action<string> say, CancellationToken cancellationToken)
    {
        var oldPrimary = replication.Value.PrimaryAddress;
        var facts = await node.FactsAsync(cancellationToken).ConfigureAwait(false);
        if (facts is null)
        {
            say("pgstandby promote: postgres does not accept connections on this node yet, so there is nothing to promote: wait until `pgstandby status` shows streaming or catching_up_from_archive, then run it again.");
            return 1;
        }

        if (!facts.InRecovery)
        {
            say("pgstandby promote: this node is already a primary (not in recovery); `pgstandby status` says since when.");
            return 0;
        }

        if (!options.Force)
        {
            var answer = await queries.AskPrimaryAsync(cancellationToken).ConfigureAwait(false);
            if (answer.Answered)
            {
                say($"pgstandby promote: REFUSED: the primary {oldPrimary} still answers replication connections ({answer.Problem ?? (answer.Writable == true ? "it runs as a primary" : "it answers")}).");
                say("Promoting now would make two primaries, and clients writing to both lose data that cannot be merged back.");
                say($"Stop the old primary first (on it: systemctl stop postgresql, docker stop …, or cut it off the network), then run pgstandby promote again; nothing was changed. If you are sure, pgstandby promote --force.");
                return 1;
            }

            say($"The primary {oldPrimary} does not answer ({answer.Problem}): promoting this standby.");
        }
        else
        {
            say("--force: not checking whether the old primary still answers.");
        }

        await CatchUpAsync(facts, options.MaxWait, say, cancellationToken).ConfigureAwait(false);
        say($"The archive's newest WAL: {await NewestArchivedAsync(cancellationToken).ConfigureAwait(false)}.");

        var state = standby.Value.StateDirectory;
        PromotionRequest.Write(folders, state, time.GetUtcNow());
        say($"Promoting (pg_promote, waiting up to {options.PromoteWait.TotalSeconds:0} s)…");
        bool completed;
        string? failure = null;
        try
        {
            completed = await node.PromoteAsync((int)options.PromoteWait.TotalSeconds, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            // The request must not outlive a promotion that did not happen: a later promotion by hand would pass for this one.
            completed = false;
            failure = exception.Message;
        }

        if (!completed && await StaysStandbyAsync(cancellationToken).ConfigureAwait(false))
        {
            PromotionRequest.Clear(state);
            say(failure is null
                ? $"pgstandby promote: postgres did not finish promoting within {options.PromoteWait.TotalSeconds:0} s (it is still replaying); the request was withdrawn and the node stays a standby. Run it again with a larger --wait."
                : $"pgstandby promote: pg_promote failed ({failure}); the request was withdrawn and the node stays a standby. Check postgres (pgstandby status), then run it again.");
            return 1;
        }

        var promoted = await node.FactsAsync(cancellationToken).ConfigureAwait(false);
        say($"Promoted: this node accepts writes on timeline {promoted?.Timeline?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}; recovery ended at {promoted?.ReplayedLsn ?? facts.ReplayedLsn ?? "?"}.");
        var snapshot = await WaitForWorkerAsync(cancellationToken).ConfigureAwait(false);
        say(snapshot?.Promotion is { } record
            ? $"The worker runs it as a primary from now on, restarts included: {record.Describe()}."
            : "The worker has not reported the node as a primary yet: check `pgstandby status` (it records the promotion at its next sample).");
        say("Next: point writers at this node; this new primary has no WAL archive or backups yet: set up pgBackRest with its own repository here and take a full backup (README: Failover); rebuild the old primary as a standby of this one before it takes clients again.");
        return 0;
    }

    /// <summary>
    /// Lets postgres replay whatever the archive holds: a stale "missing" answer in pgBackRest's asynchronous
    /// spool (archive-missing-retry=n) would end that pass early, so those answers go first.
    /// </summary>
    private async Task CatchUpAsync(NodeFacts facts, TimeSpan maxWait, Action<string> say, CancellationToken cancellationToken)
    {
        ForgetMissingAnswers(say);
        say($"Replaying what the archive holds (until replay stops moving for {Settled.TotalSeconds:0} s, at most {maxWait.TotalSeconds:0} s); replayed up to {facts.ReplayedLsn ?? "?"} so far.");
        var started = time.GetUtcNow();
        var replayed = facts.ReplayedLsn;
        var movedAt = started;
        while (time.GetUtcNow() - movedAt < Settled)
        {
            if (time.GetUtcNow() - started >= maxWait)
            {
                say($"--max-wait reached while replay still moved: promoting at {replayed}; postgres replays what else it finds in the archive as it promotes.");
                break;
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
            var now = await node.FactsAsync(cancellationToken).ConfigureAwait(false);
            if (now?.ReplayedLsn is { } position && position != replayed)
            {
                replayed = position;
                movedAt = time.GetUtcNow();
            }
        }

        say($"This node replayed up to {replayed ?? "?"}.");
    }

    private void ForgetMissingAnswers(Action<string> say)
    {
        var queue = ArchiveGetSpool.PathIn(standby.Value.PgBackRestSpoolPath, repository.Value.Stanza);
        if (!Directory.Exists(queue))
        {
            return;
        }

        try
        {
            foreach (var answer in Directory.EnumerateFiles(queue).Where(f => f.EndsWith(".ok", StringComparison.Ordinal) || f.EndsWith(".error", StringComparison.Ordinal)))
            {
                File.Delete(answer);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            say($"Could not clear pgBackRest's earlier answers in {queue} ({exception.Message}): a segment it found missing before may end replay early.");
        }
    }

    /// <summary>pgbackrest info on the repository's host, as the worker asks it (SSH.NET, the forced command allows it).</summary>
    private async Task<string> NewestArchivedAsync(CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(InfoTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            var result = (await primaryShell.RunPgBackRestAsync([repositoryInfo.InfoArguments()], timeout.Token).ConfigureAwait(false))[0];
            return result.ExitCode == 0 && ArchiveNewest.Parse(result.StandardOutput, repository.Value.Stanza) is { } newest
                ? newest
                : $"unknown (pgbackrest info exited {result.ExitCode}: {OutputTail.Of(result.StandardOutput, result.StandardError, 2)})";
        }
        catch (PrimaryUnavailableException exception)
        {
            return $"unknown (the repository's host does not answer: {exception.Message})";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"unknown (pgbackrest info did not answer within {InfoTimeout.TotalSeconds:0} s)";
        }
    }

    /// <summary>pg_promote answered false: the promotion did not complete in time. Withdrawn if postgres has not acted on it yet.</summary>
    private async Task<bool> StaysStandbyAsync(CancellationToken cancellationToken)
    {
        File.Delete(Path.Combine(standby.Value.DataDirectory, "promote"));
        return await node.FactsAsync(cancellationToken).ConfigureAwait(false) is not { InRecovery: false };
    }

    private async Task<StatusSnapshot?> WaitForWorkerAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + WorkerTakesOver;
        while (true)
        {
            var snapshot = StatusFile.Read(standby.Value.RunDirectory);
            if (snapshot?.Promotion is not null || time.GetUtcNow() >= deadline)
            {
                return snapshot;
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
