using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Npgsql;

namespace PgStandby.IntegrationTests.World;

/// <summary>
/// One standby under test: the published pgstandby run as a separate process with its own folders,
/// port and environment, its output captured line by line.
/// </summary>
public sealed class StandbyProcess : IAsyncDisposable
{
    private readonly PrimaryWorld _world;
    private readonly ConcurrentQueue<string> _lines = new();
    private CommandTask<CommandResult>? _task;
    private CancellationTokenSource? _kill;
    private DateTimeOffset _started;

    internal StandbyProcess(PrimaryWorld world, string directory, int port, string name)
    {
        _world = world;
        Directory = directory;
        Port = port;
        Name = name;
        Environment = new Dictionary<string, string?>
        {
            ["BACKREST_PRIMARY_HOST"] = "127.0.0.1",
            ["BACKREST_PRIMARY_SSH_PORT"] = world.SshPort.ToString(CultureInfo.InvariantCulture),
            ["BACKREST_PRIMARY_CONFIG"] = world.PgBackRestConfig,
            ["BACKREST_REPO_PATH"] = world.RepoPath,
            ["BACKREST_STANZA"] = world.Stanza,
            ["PG_PRIMARY_HOST"] = "127.0.0.1",
            ["PG_PRIMARY_PORT"] = world.PgPort.ToString(CultureInfo.InvariantCulture),
            ["PG_REPLICATION_PASSWORD"] = world.ReplicationPassword,
            ["PG_SLAVE_NAME"] = name,
            ["PGDATA"] = DataDirectory,
            ["PG_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["PG_SOCKET_DIR"] = Path.Combine(directory, "socket"),
            ["BACKREST_CONFIG"] = Path.Combine(directory, "pgbackrest", "pgbackrest.conf"),
            ["BACKREST_LOG_PATH"] = Path.Combine(directory, "pgbackrest", "log"),
            ["BACKREST_SPOOL_PATH"] = Path.Combine(directory, "pgbackrest", "spool"),
            ["BACKREST_LOCK_PATH"] = Path.Combine(directory, "pgbackrest", "lock"),
            ["BACKREST_PROCESS_MAX"] = "2",
            ["PGSTANDBY_SSH_DIR"] = SshDirectory,
            ["PGSTANDBY_RUN_DIR"] = RunDirectory,
            ["PGSTANDBY_STATE_DIR"] = Path.Combine(directory, "state"),
            ["PGSTANDBY_RETRY_SECONDS"] = "1",
            ["PGSTANDBY_MONITOR_SECONDS"] = "1",
            ["PGSTANDBY_STOP_TIMEOUT_SECONDS"] = "30",
        };
    }

    public string Directory { get; }

    public int Port { get; }

    public string Name { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string SshDirectory => Path.Combine(Directory, "ssh");

    public string RunDirectory => Path.Combine(Directory, "run");

    /// <summary>The worker's environment; tests change it before <see cref="Start"/>.</summary>
    public Dictionary<string, string?> Environment { get; }

    public int ProcessId => _task?.ProcessId ?? 0;

    public string Output => string.Join('\n', _lines);

    public bool HasExited => _task?.Task.IsCompleted ?? true;

    /// <summary>Runs the worker as the postgres OS user (systemd's User=postgres) instead of root.</summary>
    public string? RunAsPostgresFrom { get; set; }

    /// <summary>The network namespace the worker runs in (ip netns exec, which execs: same pid), or null for the host's.</summary>
    public NetworkNamespace? Network { get; internal set; }

    /// <summary>
    /// Runs the worker in a new pid namespace of its own (<c>unshare --pid --fork --mount-proc</c>), as a container
    /// does: the worker is its pid 1 and its threads take the next pids, unless <see cref="NamespaceInit"/> is set.
    /// <see cref="KillAsync"/> then kills the whole namespace, postgres and every other child with it.
    /// </summary>
    public bool OwnPidNamespace { get; set; }

    /// <summary>
    /// With <see cref="OwnPidNamespace"/>: a <c>sh -c</c> script run as the namespace's pid 1 that starts the worker
    /// (its command line is <c>"$@"</c>) and waits for it, as tini or a shell entry point does; null: the worker is pid 1.
    /// </summary>
    public string? NamespaceInit { get; set; }

    public void Start()
    {
        _lines.Clear();
        _kill?.Dispose();
        _kill = new CancellationTokenSource();
        _started = DateTimeOffset.UtcNow;
        var target = PipeTarget.ToDelegate(_lines.Enqueue, Encoding.UTF8);
        List<string> line = RunAsPostgresFrom is null
            ? [_world.Binary]
            : ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", RunAsPostgresFrom];
        if (Network is not null)
        {
            line = ["ip", "netns", "exec", Network.Name, .. line];
        }

        if (OwnPidNamespace)
        {
            List<string> init = NamespaceInit is null ? [] : ["/bin/sh", "-c", NamespaceInit, "init"];
            line = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", .. init, .. line];
        }

        _task = Cli.Wrap(line[0]).WithArguments(line.Skip(1))
            .WithEnvironmentVariables(Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(target)
            .WithStandardErrorPipe(target)
            .ExecuteAsync(_kill.Token);
    }

    /// <summary>Waits until the worker exits and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var result = await _task!.Task.WaitAsync(timeout);
        return result.ExitCode;
    }

    /// <summary>SIGTERM, as docker stop and systemd send it; returns the exit code.</summary>
    public Task<int> StopAsync(TimeSpan timeout)
    {
        _ = NativeMethods.Kill(WorkerProcessId(), NativeMethods.SigTerm);
        return WaitForExitAsync(timeout);
    }

    /// <summary>SIGKILL to the worker; in its own pid namespace, to the namespace's pid 1, which kills every process in it.</summary>
    public async Task KillAsync()
    {
        _ = NativeMethods.Kill(OwnPidNamespace ? ChildrenOf(ProcessId).FirstOrDefault(ProcessId) : ProcessId, NativeMethods.SigKill);
        try
        {
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // CliWrap reports a killed process as cancelled on some paths; it is gone either way.
        }
    }

    public JsonElement? ReadStatus()
    {
        var path = Path.Combine(RunDirectory, "status.json");
        try
        {
            return File.Exists(path) ? JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone() : null;
        }
        catch (Exception exception) when (exception is IOException or JsonException)
        {
            return null; // mid-rename: read again on the next poll
        }
    }

    public string? State => ReadStatus()?.GetProperty("state").GetString();

    /// <summary>Polls the status file until the worker reports <paramref name="state"/>; fails with the log otherwise.</summary>
    public async Task WaitForStateAsync(string state, TimeSpan timeout)
    {
        // The status of this worker process, not one left by a worker that was killed before it (in a pid namespace of
        // its own, the killed one had the same pid).
        await Eventually.ThatAsync(
            () => Task.FromResult(ReadStatus() is { } status && status.GetProperty("state").GetString() == state
                && status.GetProperty("pid").GetInt32() == PidAsTheWorkerSeesIt() && status.GetProperty("updated_at").GetDateTimeOffset() >= _started),
            timeout,
            () => $"state {State ?? "(none)"} instead of {state}; worker output:\n{Output}");
    }

    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        await Eventually.ThatAsync(() => Task.FromResult(Output.Contains(text, StringComparison.Ordinal)), timeout, () => $"'{text}' never logged; worker output:\n{Output}");
    }

    /// <summary>Runs another pgstandby verb (health, status, show-key) with this standby's environment.</summary>
    public async Task<BufferedCommandResult> RunVerbAsync(params string[] arguments) =>
        await Cli.Wrap(_world.Binary).WithArguments(arguments).WithEnvironmentVariables(Environment)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    /// <summary>Queries the standby over its socket as postgres (peer, mapped from root by the worker's pg_ident).</summary>
    public async Task<string?> ScalarAsync(string sql)
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = Environment["PG_SOCKET_DIR"],
            Port = Port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
            Timeout = 5,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    public Task<string?> ProbeFingerprintAsync() => ScalarAsync(ProbeTable.FingerprintSql);

    /// <summary>Polls until the standby's probe table has <paramref name="fingerprint"/> (the primary's, taken by the test).</summary>
    public async Task WaitForProbeAsync(string fingerprint, TimeSpan timeout)
    {
        string? last = null;
        await Eventually.ThatAsync(
            async () => (last = await ProbeFingerprintAsync()) == fingerprint,
            timeout,
            () => $"the standby's probe table is {last ?? "(unreadable)"}, the primary's {fingerprint}; worker output:\n{Output}");
    }

    /// <summary>
    /// The worker process's pid in this machine's namespace: <see cref="ProcessId"/>, or in its own pid namespace
    /// the descendant of unshare that runs the binary (0 when it is not running).
    /// </summary>
    public int WorkerProcessId()
    {
        if (!OwnPidNamespace)
        {
            return ProcessId;
        }

        var binary = RunAsPostgresFrom ?? _world.Binary;
        var pending = new Queue<int>(ChildrenOf(ProcessId));
        while (pending.TryDequeue(out var pid))
        {
            if (CommandLine(pid).FirstOrDefault() == binary)
            {
                return pid;
            }

            foreach (var child in ChildrenOf(pid))
            {
                pending.Enqueue(child);
            }
        }

        return 0;
    }

    /// <summary>The worker's pid as it sees it (the "pid" of status.json): in its own pid namespace, its pid there.</summary>
    public int PidAsTheWorkerSeesIt() => OwnPidNamespace ? PidInItsNamespace(WorkerProcessId()) : ProcessId;

    /// <summary>The pid (or thread id) <paramref name="pid"/> of this machine's namespace has in the innermost namespace it belongs to.</summary>
    public static int PidInItsNamespace(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
            return line is null ? 0 : int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // gone
        }
    }

    private static IReadOnlyList<int> ChildrenOf(int pid)
    {
        try
        {
            return [.. File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>The pid in PGDATA/postmaster.pid: the standby's running postmaster.</summary>
    public int PostmasterProcessId() =>
        int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture);

    /// <summary>This standby's processes other than the worker (pgbackrest, its ssh, postgres), as "pid command line".</summary>
    public List<string> RunningProcesses() => Leftovers.OfStandby(Directory, DataDirectory, _world.SshdProcessId);

    /// <summary>How many log lines contain <paramref name="text"/>.</summary>
    public int CountLog(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>
    /// Generates the standby's key before its first start and authorizes it, as an operator who prepared it would:
    /// for postgres, or for the read-only account (then the worker logs in as that account). Returns the
    /// BACKREST_PRIMARY_HOST_KEY value setup-primary.sh printed.
    /// </summary>
    public async Task<string> PreAuthorizeAsync(string account = "postgres")
    {
        Environment["BACKREST_PRIMARY_USER"] = account;
        System.IO.Directory.CreateDirectory(SshDirectory);
        var key = Path.Combine(SshDirectory, "id_ed25519");
        await Shell.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-C", Name, "-f", key]);
        return await _world.AuthorizeAsync((await File.ReadAllTextAsync(key + ".pub")).Trim(), account);
    }

    /// <summary>
    /// BACKREST_REPO_TRANSPORT=tls with its identity made and signed before the first start, as an operator who prepared
    /// it would: key and request with openssl under the worker's file names, signed by the world's setup-primary.sh
    /// --sign-csr, the bundle placed. The SSH port points nowhere: nothing may use SSH.
    /// </summary>
    public async Task PreAuthorizeTlsAsync()
    {
        Environment["BACKREST_REPO_TRANSPORT"] = "tls";
        Environment["BACKREST_PRIMARY_TLS_PORT"] = _world.TlsPort.ToString(CultureInfo.InvariantCulture);
        Environment["BACKREST_PRIMARY_SSH_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        System.IO.Directory.CreateDirectory(SshDirectory);
        var key = Path.Combine(SshDirectory, "pgstandby-tls.key");
        var request = Path.Combine(SshDirectory, "pgstandby-tls.csr");
        await OpenSsl.KeyAndRequestAsync(key, request, Name + "-" + Guid.NewGuid().ToString("N")[..8]);
        var bundle = await _world.SignCsrAsync(request, Path.Combine(Directory, "signed.crt"));
        File.Copy(bundle, Path.Combine(SshDirectory, "pgstandby-tls.crt"));
    }

    /// <summary>Leaves nothing running: the worker, and any postgres or pgbackrest it left behind.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            await KillAsync();
        }

        await Leftovers.KillAsync(DataDirectory, Environment["BACKREST_CONFIG"]!);
        _kill?.Dispose();
    }
}
