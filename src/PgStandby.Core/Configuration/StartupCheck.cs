using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Configuration;

/// <summary>Resolves every options class once, so all configuration problems are reported together before anything runs.</summary>
public static class StartupCheck
{
    public static IReadOnlyList<string> ConfigurationProblems(IServiceProvider services)
    {
        var problems = new List<string>();
        Collect<RepositoryOptions>(services, problems);
        Collect<ReplicationOptions>(services, problems);
        Collect<StandbyOptions>(services, problems);
        Collect<SupervisionOptions>(services, problems);
        return problems;
    }

    /// <summary>Settings that are valid but unsafe, logged once at start; call after <see cref="ConfigurationProblems"/> found none.</summary>
    public static void LogWarnings(IServiceProvider services) => LogWarnings(
        services.GetRequiredService<IOptions<ReplicationOptions>>().Value,
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupCheck).FullName!));

    internal static void LogWarnings(ReplicationOptions replication, ILogger logger)
    {
        if (replication.Password == ReplicationOptions.DefaultPassword)
        {
            Log.DefaultReplicationPassword(logger, "PG_REPLICATION_PASSWORD (or PG_REPLICATION_PASSWORD_FILE)");
        }
    }

    private static void Collect<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceProvider services, List<string> problems)
        where TOptions : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (OptionsValidationException exception)
        {
            problems.AddRange(exception.Failures);
        }
    }
}
