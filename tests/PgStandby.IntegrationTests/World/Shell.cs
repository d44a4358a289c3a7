using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace PgStandby.IntegrationTests.World;

/// <summary>Runs a real program for the test world and fails loudly with its output when it fails.</summary>
internal static class Shell
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, string? input = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        var command = Cli.Wrap(file).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (input is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input));
        }

        var result = await command.ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        }

        return result.StandardOutput;
    }

    /// <summary>Runs as the postgres OS user, as the primary's own tools would be run.</summary>
    public static Task<string> AsPostgresAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, string? input = null) =>
        RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments], timeout, input);
}
