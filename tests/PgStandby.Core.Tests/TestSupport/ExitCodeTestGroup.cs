namespace PgStandby.Core.Tests.TestSupport;

/// <summary>The xUnit collection of tests that touch the process-wide Environment.ExitCode: they never run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExitCodeTestGroup
{
    public const string Name = "process exit code";
}
