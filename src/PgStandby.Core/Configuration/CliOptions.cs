using Microsoft.Extensions.Configuration;

namespace PgStandby.Core.Configuration;

/// <summary>For the CLI verbs (show-key, health, status): the standby's folders and repository, bound as the worker binds them.</summary>
public static class CliOptions
{
    public static StandbyOptions Standby(IConfiguration configuration)
    {
        var options = new StandbyOptions();
        new StandbyOptionsSetup(configuration).Configure(options);
        return options;
    }

    /// <summary>The repository's settings; their problems are the worker's to report, a verb only reads what it needs.</summary>
    public static RepositoryOptions Repository(IConfiguration configuration)
    {
        var options = new RepositoryOptions();
        new RepositoryOptionsSetup(configuration).Configure(options);
        return options;
    }
}
