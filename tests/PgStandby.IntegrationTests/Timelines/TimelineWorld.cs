using System.Globalization;
using System.Text.Json;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// A primary of its own, built like the shared world's (tests/world/primary-up.sh), for tests that break
/// it for good: restored to an earlier point, failed over, a hole made in its archive. One per collection,
/// so the shared primary and the other timeline tests never see it.
/// </summary>
public class TimelineWorld : IAsyncLifetime
{
    public TimelineWorld()
        : this(tlsServer: false)
    {
    }

    /// <summary>With <paramref name="tlsServer"/>, the primary also runs pgBackRest's TLS server (<see cref="TlsTimelineWorld"/>).</summary>
    protected TimelineWorld(bool tlsServer) => Primary = new PrimaryWorld(tlsServer);

    public PrimaryWorld Primary { get; }

    public Task InitializeAsync() => Primary.InitializeAsync();

    public Task DisposeAsync() => Primary.DisposeAsync();

    /// <summary>The primary's data directory: pg1-path of its pgbackrest.conf (readable while the primary is down).</summary>
    public string DataDirectory =>
        File.ReadLines(Primary.PgBackRestConfig).Single(l => l.StartsWith("pg1-path=", StringComparison.Ordinal))["pg1-path=".Length..];

    public async Task<bool> IsPrimaryRunningAsync() =>
        (await Shell.RunAsync("pg_lsclusters", ["-h", "15", Primary.Cluster])).Contains("online", StringComparison.Ordinal);

    /// <summary>The primary's current timeline, from its WAL file name: pg_control lags behind a promotion until the next checkpoint.</summary>
    public async Task<int> TimelineAsync() =>
        int.Parse((await CurrentSegmentAsync())[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>pg_switch_wal(): closes the current segment (something must have been written since the last switch) and returns its name.</summary>
    public Task<string> SwitchWalAsync() => Primary.SqlAsync("SELECT pg_walfile_name(pg_switch_wal())");

    public Task<string> CurrentSegmentAsync() => Primary.SqlAsync("SELECT pg_walfile_name(pg_current_wal_lsn())");

    /// <summary>The archived copy of a WAL segment (or a history file) in the repository, or null.</summary>
    public string? ArchivedFile(string name)
    {
        var archive = Path.Combine(Primary.RepoPath, "archive", Primary.Stanza);
        if (!Directory.Exists(archive))
        {
            return null;
        }

        // 15-1/0000000100000000/000000010000000000000005-<sha1>.gz, or 15-1/00000002.history
        return Directory.EnumerateFiles(archive, name + "*", SearchOption.AllDirectories)
            .FirstOrDefault(f => Path.GetFileName(f) == name || Path.GetFileName(f).StartsWith(name + "-", StringComparison.Ordinal));
    }

    /// <summary>The newest WAL segment in the repository's archive, by name (as pgbackrest info's archive max), or null.</summary>
    public string? NewestArchivedSegment()
    {
        var archive = Path.Combine(Primary.RepoPath, "archive", Primary.Stanza);
        return Directory.Exists(archive)
            ? Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetFileName(f))
                .Where(n => n.Length >= 24 && n[..24].All(char.IsAsciiHexDigitUpper) && (n.Length == 24 || n[24] == '-'))
                .Select(n => n[..24])
                .Max(StringComparer.Ordinal)
            : null;
    }

    public async Task<string> WaitArchivedAsync(string name, TimeSpan timeout)
    {
        string? path = null;
        await Eventually.ThatAsync(
            () => Task.FromResult((path = ArchivedFile(name)) is not null),
            timeout,
            () => $"{name} never reached the archive {Primary.RepoPath}");
        return path!;
    }

    /// <summary>
    /// Stops the primary (unless it is down already), restores it in place with pgBackRest to the restore point <paramref name="name"/>
    /// (--delta, --target-action=promote) and starts it: it promotes to a new timeline and archives that
    /// timeline's history file to the same stanza. The caller restarts the primary in a finally block.
    /// </summary>
    /// <param name="backupSet">The backup to start from (pgBackRest's --set) when the newest one is past the restore point.</param>
    /// <param name="targetTimeline">The timeline to recover along (--target-timeline) when the restore point is not on the latest one.</param>
    public async Task RestoreToRestorePointAsync(string name, string? backupSet = null, int? targetTimeline = null)
    {
        if (await IsPrimaryRunningAsync())
        {
            await Primary.StopPrimaryAsync();
        }

        // pg1-path is the Debian cluster's data directory; its postgresql.conf stays in /etc, and the
        // recovery settings land in PGDATA's postgresql.auto.conf with recovery.signal.
        List<string> arguments = ["--config=" + Primary.PgBackRestConfig, "--stanza=" + Primary.Stanza, "--delta", "--type=name", "--target=" + name, "--target-action=promote"];
        if (backupSet is not null)
        {
            arguments.Add("--set=" + backupSet);
        }

        if (targetTimeline is { } timeline)
        {
            arguments.Add("--target-timeline=" + timeline.ToString(CultureInfo.InvariantCulture));
        }

        await Shell.AsPostgresAsync("pgbackrest", [.. arguments, "restore"], TimeSpan.FromMinutes(3));
        Assert.True(File.Exists(Path.Combine(DataDirectory, "recovery.signal")), "pgBackRest did not write recovery.signal in " + DataDirectory);
        await Primary.EnsurePrimaryRunningAsync();
        await Eventually.ThatAsync(
            async () => await Primary.SqlAsync("SELECT pg_is_in_recovery()") == "f",
            TimeSpan.FromMinutes(2),
            () => "the restored primary never promoted");
    }

    /// <summary>The labels of the stanza's backups, oldest first (pgbackrest info).</summary>
    public async Task<IReadOnlyList<string>> BackupLabelsAsync()
    {
        var json = await Shell.AsPostgresAsync("pgbackrest", ["--config=" + Primary.PgBackRestConfig, "--stanza=" + Primary.Stanza, "--output=json", "info"]);
        using var info = JsonDocument.Parse(json);
        return [.. info.RootElement[0].GetProperty("backup").EnumerateArray().Select(b => b.GetProperty("label").GetString()!)];
    }

    /// <summary>
    /// Closes and archives segments until <paramref name="segment"/> is archived and gone from the
    /// primary's pg_wal (wal_keep_size = 0, no slot: a checkpoint recycles archived segments).
    /// </summary>
    public async Task EnsureOnlyInArchiveAsync(string segment, TimeSpan timeout)
    {
        await Eventually.ThatAsync(
            async () =>
            {
                await Primary.SqlAsync("INSERT INTO probe (note) SELECT 'filler-' || g FROM generate_series(1, 10) AS g");
                await Primary.SqlAsync("SELECT pg_switch_wal()");
                await Primary.SqlAsync("CHECKPOINT");
                return ArchivedFile(segment) is not null
                    && await Primary.SqlAsync($"SELECT count(*) FROM pg_ls_waldir() WHERE name = '{segment}'") == "0";
            },
            timeout,
            () => $"{segment} is still in the primary's pg_wal (or never archived)");
    }
}
