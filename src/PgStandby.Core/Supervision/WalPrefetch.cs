using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Supervision;

/// <summary>
/// Starts pgBackRest's asynchronous archive-get while postgres starts, so its first segments are in the spool when
/// postgres asks. Left to postgres, the first call forks the queue-filling process and then polls the spool after
/// 0.1, 0.1, 0.2, 0.3, 0.5, 0.8, 1.3 s: the first segment, in the spool after about 1.2 s, was seen at 2.0 s
/// (bench/run.sh, restart). Asking for the segment just before pg_control's REDO segment forks the same process
/// (its queue runs from that segment on) and leaves every segment postgres needs in the spool for it. Best effort:
/// any failure leaves postgres to fetch its WAL as before.
/// </summary>
public sealed class WalPrefetch(
    ICommandRunner runner,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    ILogger<WalPrefetch> logger)
{
    /// <summary>Longest a prefetch may run (an unreachable repository); postgres's own calls go on regardless.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Empties the queue before postgres starts (see <see cref="ArchiveGetSpool"/>); the caller has stopped every archive-get.</summary>
    public void ClearQueue() => ArchiveGetSpool.Clear(standby.Value.PgBackRestSpoolPath, repository.Value.Stanza);

    /// <summary>Runs until the prefetch is done, <see cref="Limit"/> passed or <paramref name="cancellationToken"/> fires; never throws.</summary>
    public async Task RunAsync(ControlData? control, CancellationToken cancellationToken)
    {
        var options = standby.Value;
        // After a restore, backup_label names the segment recovery starts from; pg_control may hold a later checkpoint.
        var first = BackupLabelStart(options.DataDirectory) ?? control?.RedoWalFile;
        if (first is null || WalSegmentName.Previous(first, control?.WalSegmentBytes) is not { } previous)
        {
            return;
        }

        var destination = Path.Combine(options.PgBackRestSpoolPath, "prefetch-" + previous);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        Log.WalPrefetchStarting(logger, first);
        try
        {
            var result = await runner.RunAsync(
                new CommandSpec("pgbackrest", [.. PostgresSettingsRenderer.ArchiveGetArguments(repository.Value, options), previous, destination]),
                limit.Token).ConfigureAwait(false);
            if (result.ExitCode > 1)
            {
                // 1 only says the segment before REDO is not in the archive: the queue after it was filled all the same.
                Log.WalPrefetchFailed(logger, $"archive-get exited {result.ExitCode}: {result.Tail()}");
            }
        }
        catch (OperationCanceledException)
        {
            // postgres is ready, stopped, or the limit passed: the queue is pgBackRest's own from here.
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Log.WalPrefetchFailed(logger, exception.Message);
        }
        finally
        {
            TryDelete(destination);
        }
    }

    /// <summary>The segment of backup_label's "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)", if any.</summary>
    internal static string? BackupLabelStart(string dataDirectory)
    {
        try
        {
            var line = (Processes.SafeFile.ReadText(Path.Combine(dataDirectory, "backup_label")) ?? string.Empty).Split('\n')
                .FirstOrDefault(l => l.StartsWith("START WAL LOCATION:", StringComparison.Ordinal));
            var file = line?.IndexOf("(file ", StringComparison.Ordinal) ?? -1;
            return file >= 0 && line!.Length >= file + 6 + 24 ? line.Substring(file + 6, 24) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StandbyException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A leftover copy of an archived segment in the spool folder harms nothing; the next prefetch replaces it.
        }
    }
}
