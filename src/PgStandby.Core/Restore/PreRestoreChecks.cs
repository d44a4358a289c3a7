using System.Globalization;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;
using PgStandby.Core.Ssh;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Repository;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Restore;

/// <summary>
/// What is checked before a restore writes anything: the same pgBackRest version on both sides (a
/// mismatch is the most common pgBackRest support issue) and room for the backup on PGDATA's file system.
/// </summary>
public sealed class PreRestoreChecks(ICommandRunner runner, IOptions<RepositoryOptions> repository, IOptions<StandbyOptions> standby)
{
    /// <summary>Headroom on top of the backup's size: WAL replayed before the first restart point, and pgBackRest's temporary files.</summary>
    public const long HeadroomBytes = 256L * 1024 * 1024;

    /// <summary>Compares the primary's version, asked with <paramref name="info"/>, with this standby's.</summary>
    /// <exception cref="StandbyException">The two versions differ, or one cannot be read.</exception>
    public async Task EnsureSameVersionAsync(RepositoryInfo info, CancellationToken cancellationToken)
    {
        var remote = info.PrimaryVersion ?? new RemoteResult(-1, string.Empty, "not asked");
        var local = await runner.RunAsync(new CommandSpec("pgbackrest", ["version"]), cancellationToken).ConfigureAwait(false);
        var primaryVersion = remote.StandardOutput.Trim();
        var standbyVersion = local.StandardOutput.Trim();
        if (remote.ExitCode != 0 || local.ExitCode != 0)
        {
            throw StandbyException.Refused(
                $"cannot read pgBackRest's version: on {repository.Value.PrimaryHost} '{remote.Tail()}' (exit {remote.ExitCode}), here '{local.Tail()}' (exit {local.ExitCode})",
                "install pgBackRest on both hosts (the same version)");
        }

        if (!string.Equals(primaryVersion, standbyVersion, StringComparison.Ordinal))
        {
            throw TlsClientErrors.VersionRefusal(repository.Value.PrimaryHost, primaryVersion, standbyVersion);
        }
    }

    /// <summary>Null when the backup fits on PGDATA's file system; otherwise the numbers, for state disk_full.</summary>
    public async Task<string?> FindRoomProblemAsync(RepositoryInfo info, CancellationToken cancellationToken)
    {
        if (info.NewestBackupSize is not { } size)
        {
            return null;
        }

        if (await AvailableBytesAsync(cancellationToken).ConfigureAwait(false) is not { } available)
        {
            return null; // df could not tell: let pgBackRest find out
        }

        var needed = size + HeadroomBytes;
        return available >= needed
            ? null
            : $"{standby.Value.DataDirectory} has {Gib(available)} free but backup {info.NewestBackup} needs {Gib(size)} plus {Gib(HeadroomBytes)} of headroom";
    }

    /// <summary>After a failed write: a file system with almost nothing left is the likely cause (pgBackRest does not always say so).</summary>
    public async Task<string?> FindFullFileSystemAsync(CancellationToken cancellationToken) =>
        await AvailableBytesAsync(cancellationToken).ConfigureAwait(false) is { } available && available < NearlyFullBytes
            ? $"{standby.Value.DataDirectory}'s file system is full ({Gib(available)} free)"
            : null;

    private const long NearlyFullBytes = 64L * 1024 * 1024;

    /// <summary>Free bytes on PGDATA's file system, from df; null when df cannot tell.</summary>
    private async Task<long?> AvailableBytesAsync(CancellationToken cancellationToken)
    {
        var df = await runner.RunAsync(new CommandSpec("df", ["-P", "-B1", standby.Value.DataDirectory]) { AsPostgres = false }, cancellationToken).ConfigureAwait(false);
        var fields = df.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return df.Succeeded && fields is { Length: >= 4 } && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var available)
            ? available
            : null;
    }

    private static string Gib(long bytes) => (bytes / 1024.0 / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " GiB";
}
