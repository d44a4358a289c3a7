using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>A container engine's command line (podman, Docker), as an operator types it; argument lists, never a shell string.</summary>
internal sealed class ContainerCli(string executable)
{
    /// <summary>podman, which builds the image and runs it as a plain container.</summary>
    public static readonly ContainerCli Podman = new("podman");

    /// <summary>Debian's Docker Engine client (the machine may have another docker first on its PATH), for Swarm and compose.</summary>
    public static readonly ContainerCli Docker = new("/usr/bin/docker");

    /// <summary>Runs the command and returns its exit code and output, whatever the exit code.</summary>
    /// <param name="environment">Variables added to the client's environment, e.g. what a stack file substitutes.</param>
    public async Task<BufferedCommandResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await Cli.Wrap(executable).WithArguments(arguments).WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);
    }

    /// <summary>Runs the command and fails with the tail of its output (a build's is long) unless it exits 0.</summary>
    public async Task<string> CheckedAsync(IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = await RunAsync(arguments, timeout, environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{Tail(result.StandardOutput)}\n{Tail(result.StandardError)}");
        }

        return result.StandardOutput;
    }

    /// <summary>The image's id, or null when no image has that name.</summary>
    public async Task<string?> ImageIdAsync(string name)
    {
        var result = await RunAsync(["image", "inspect", "--format", "{{.Id}}", name], TimeSpan.FromMinutes(1));
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}
