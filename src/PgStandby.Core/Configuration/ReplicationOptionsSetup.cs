using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PgStandby.Core.Configuration;

internal sealed class ReplicationOptionsSetup(IConfiguration configuration) : IConfigureOptions<ReplicationOptions>
{
    public void Configure(ReplicationOptions options)
    {
        var env = new EnvironmentValues(configuration, options.Problems);
        options.PrimaryHost = env.Host("PG_PRIMARY_HOST", options.PrimaryHost);
        options.PrimaryPort = env.Integer("PG_PRIMARY_PORT", options.PrimaryPort, 1, 65535);
        options.User = env.Identifier("PG_REPLICATION_USER", options.User, "a PostgreSQL role name (letters, digits, _ . -)");
        options.Password = env.Secret("PG_REPLICATION_PASSWORD", options.Password);

        // PG_STANDBY_NAME is the newer spelling of the seed's PG_SLAVE_NAME; both set and different is ambiguous.
        var newer = env.Raw("PG_STANDBY_NAME");
        var older = env.Raw("PG_SLAVE_NAME");
        if (newer is not null && older is not null && newer != older)
        {
            options.Problems.Add("PG_STANDBY_NAME and PG_SLAVE_NAME are both set, to different values: keep only PG_STANDBY_NAME.");
        }

        options.ApplicationName = env.Printable(newer is not null ? "PG_STANDBY_NAME" : "PG_SLAVE_NAME", options.ApplicationName, 63);
        if (options.ApplicationName.Length == 0)
        {
            options.Problems.Add("PG_STANDBY_NAME (or PG_SLAVE_NAME) must not be empty.");
        }
    }
}
