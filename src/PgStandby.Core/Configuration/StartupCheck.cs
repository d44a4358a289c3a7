using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
