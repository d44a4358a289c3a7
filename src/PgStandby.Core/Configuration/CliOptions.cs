using Microsoft.Extensions.Configuration;

namespace PgStandby.Core.Configuration;

/// <summary>For the CLI verbs (show-key, health, status): the standby's folders, bound as the worker binds them.</summary>
public static class CliOptions
{
    public static StandbyOptions Standby(IConfiguration configuration)
    {
        var options = new StandbyOptions();
        new StandbyOptionsSetup(configuration).Configure(options);
        return options;
    }
}
