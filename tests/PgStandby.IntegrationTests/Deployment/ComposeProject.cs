using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/docker/docker-compose.yml under one project name (<c>-p</c>), driven by Debian's docker-compose 1.29 as
/// the file's header tells an operator; argument lists, never a shell string. <c>down -v</c> when disposed.
/// </summary>
internal sealed class ComposeProject(string name) : IAsyncDisposable
{
    private const string Executable = "/usr/bin/docker-compose";

    public static readonly string FilePath = Path.Combine(ComposeFile.Folder, "docker-compose.yml");

    public string Name => name;

    /// <summary>Runs <c>docker-compose -p NAME -f FILE ARGUMENTS</c> and returns its exit code and output, whatever the exit code.</summary>
    public async Task<BufferedCommandResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        // exec runs the `docker` first on PATH: Debian's, the client of the engine under test (another may come first).
        var path = "/usr/bin:" + Environment.GetEnvironmentVariable("PATH");
        return await Cli.Wrap(Executable).WithArguments(["-p", name, "-f", FilePath, .. arguments])
            .WithEnvironmentVariables(e => e.Set("PATH", path)).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);
    }

    /// <summary>Runs the command and fails with the tail of its output unless it exits 0.</summary>
    public async Task<string> CheckedAsync(IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var result = await RunAsync(arguments, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker-compose -p {name} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{Tail(result.StandardOutput)}\n{Tail(result.StandardError)}");
        }

        return result.StandardOutput;
    }

    /// <summary>What a service printed, each line prefixed with its container's name (<c>logs --no-color</c>); never fails.</summary>
    public async Task<string> LogsAsync(string service)
    {
        var result = await RunAsync(["logs", "--no-color", service], TimeSpan.FromMinutes(1));
        return result.StandardOutput + result.StandardError;
    }

    /// <summary><c>down -v</c>: the project's containers, network and volumes removed.</summary>
    public Task<string> DownAsync() => CheckedAsync(["down", "-v"], TimeSpan.FromMinutes(5));

    public async ValueTask DisposeAsync() => await RunAsync(["down", "-v"], TimeSpan.FromMinutes(5));

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}
