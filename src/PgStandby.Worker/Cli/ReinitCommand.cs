using Microsoft.Extensions.Configuration;
using PgStandby.Core.Configuration;
using PgStandby.Core.Restore;
using PgStandby.Core.Postgres;

namespace PgStandby.Worker.Cli;

/// <summary><c>pgstandby reinit</c> without --yes: says what it would overwrite, changes nothing.</summary>
internal static class ReinitCommand
{
    public static int Describe(IConfiguration configuration)
    {
        var standby = CliOptions.Standby(configuration);
        var stanza = configuration["BACKREST_STANZA"] is { Length: > 0 } s ? s : "psql";
        var host = configuration["BACKREST_PRIMARY_HOST"] ?? "(BACKREST_PRIMARY_HOST is not set)";
        var promotion = PromotionRecord.Load(standby.StateDirectory);
        Console.WriteLine(ReinitDescription.Describe(DataDirectoryInspection.Inspect(standby.DataDirectory), stanza, host, promotion));
        return 1;
    }
}
