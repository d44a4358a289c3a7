using Npgsql;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class HbaTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task PgHba_OperatorsRules_ReplaceTheDefaultsSoOtherAddressesAreRefused()
    {
        await using var standby = world.NewStandby("pg-hba");
        standby.Environment["PG_HBA"] = "host all all 10.255.255.0/24 md5;hostssl all all 10.255.254.0/24 scram-sha-256";
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));

        Assert.Equal("2", await standby.ScalarAsync("select count(*) from pg_hba_file_rules where address in ('10.255.255.0', '10.255.254.0')"));
        Assert.Equal("0", await standby.ScalarAsync("select count(*) from pg_hba_file_rules where address in ('0.0.0.0', '127.0.0.1')"));
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = standby.Port,
            Username = "postgres",
            Password = "any",
            Database = "postgres",
            Pooling = false,
            Timeout = 5,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Contains("no pg_hba.conf entry", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
    }
}
