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
        options.Password = Password(env, options.Password);
        Tls(env, options);

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

    /// <summary>PG_REPLICATION_PASSWORD, or PG_REPLICATION_PASSWORD_FILE naming a file that holds it (a Docker secret).</summary>
    private static string Password(EnvironmentValues env, string fallback)
    {
        if (!env.IsSet("PG_REPLICATION_PASSWORD_FILE"))
        {
            return env.Secret("PG_REPLICATION_PASSWORD", fallback);
        }

        if (env.IsSet("PG_REPLICATION_PASSWORD"))
        {
            env.Problem("PG_REPLICATION_PASSWORD and PG_REPLICATION_PASSWORD_FILE are both set: keep only one of them.");
        }

        return env.SecretFile("PG_REPLICATION_PASSWORD_FILE", fallback);
    }

    /// <summary>https://www.postgresql.org/docs/15/libpq-ssl.html: verify-ca and verify-full need the CA that signed the primary's certificate.</summary>
    private static void Tls(EnvironmentValues env, ReplicationOptions options)
    {
        options.SslMode = env.OneOf("PG_PRIMARY_SSLMODE", options.SslMode, ReplicationOptions.SslModes);
        var before = env.ProblemCount;
        options.SslRootCert = env.OptionalAbsolutePath("PG_PRIMARY_SSLROOTCERT");
        if (env.ProblemCount > before)
        {
            return;
        }

        if (options.SslRootCert is null && options.VerifiesPrimary)
        {
            env.Problem($"PG_PRIMARY_SSLROOTCERT is required when PG_PRIMARY_SSLMODE is {options.SslMode}: set it to the path of the CA certificate that signed the primary's certificate.");
        }
        else if (options.SslRootCert is not null && !File.Exists(options.SslRootCert))
        {
            env.Problem($"PG_PRIMARY_SSLROOTCERT names {options.SslRootCert}, which is not a file: set it to the path of the CA certificate that signed the primary's certificate.");
        }
    }
}
