using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace PgStandby.Core.Processes;

/// <summary>Runs children through CliWrap, as postgres when the worker is root, with a clean environment.</summary>
public sealed class CliWrapCommandRunner : ICommandRunner
{
    private readonly OsAccount? _runAs;

    public CliWrapCommandRunner()
    {
        _runAs = OsAccount.WorkerIsRoot ? OsAccount.Find(OsAccount.PostgresName) : null;
    }

    public async Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        var result = await Build(spec).ExecuteBufferedAsync(Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return new CommandResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public async Task<int> RunStreamingAsync(
        CommandSpec spec,
        Action<string> onLine,
        CancellationToken forcefulToken,
        CancellationToken gracefulToken)
    {
        var target = LineFeedPipeTarget.Create(onLine);
        var command = Build(spec).WithStandardOutputPipe(target).WithStandardErrorPipe(target);
        var result = await command.ExecuteAsync(forcefulToken, gracefulToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    private Command Build(CommandSpec spec)
    {
        var account = spec.AsPostgres ? _runAs : null;
        var command = Cli.Wrap(spec.FileName)
            .WithArguments(spec.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(ChildEnvironment.Build(spec, account ?? OsAccount.Find(Environment.UserName)));
        if (account is not null)
        {
            command = command.WithCredentials(c => c.SetUserName(account.Name));
        }

        if (spec.WorkingDirectory is not null)
        {
            command = command.WithWorkingDirectory(spec.WorkingDirectory);
        }
        else if (account is not null)
        {
            command = command.WithWorkingDirectory("/");
        }

        if (spec.StandardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(spec.StandardInput, Encoding.UTF8));
        }

        return command;
    }
}
