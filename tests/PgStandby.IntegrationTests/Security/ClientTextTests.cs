using Npgsql;
using PgStandby.IntegrationTests.World;
using Xunit.Abstractions;

namespace PgStandby.IntegrationTests.Security;

/// <summary>
/// Anyone who reaches the standby's port can put text into postgres's log: a failed login's user or database name,
/// and once logged in application_name, RAISE LOG, statements (log_statement=all) and a failing statement's
/// STATEMENT line. Each text the worker reacts to, alone and behind a carriage return or a line feed followed by a
/// forged line of the startup process, must leave postgres running (same postmaster), run no restore and keep the
/// state streaming. The real forks still re-sync (Timelines/).
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class ClientTextTests(PrimaryWorld world, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>The words each of the worker's decisions was taken on.</summary>
    private static readonly string[] Triggers =
    [
        "new timeline 9 forked off current database system timeline 1 before current recovery point 0/FFFFFFFF",
        "requested timeline 9 is not a child of this server's history",
        "new timeline 9 is not a child of database system timeline 1",
        "hot standby is not possible because of insufficient parameter settings",
        "could not write to file \"pg_wal/xlogtemp.1\": No space left on device",
    ];

    [WorldFact]
    public async Task ClientsWriteTheWorkersTriggerWordsIntoPostgresLog_PostgresKeepsRunningAndNothingIsRestored()
    {
        await using var standby = world.NewStandby("client-text");
        standby.Environment["PG_SETTINGS"] = "log_statement=all;log_replication_commands=on";
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var postmaster = standby.PostmasterProcessId();
        var restoresBefore = standby.CountLog("restore of backup");

        var attempt = 0;
        foreach (var text in Texts())
        {
            var tag = $"attack-{++attempt:D3}";
            var payload = tag + " " + text;
            await FailedLoginAsync(standby, user: payload, database: "postgres");
            await FailedLoginAsync(standby, user: "postgres", database: payload, socket: true);
            await LoggedInAsync(standby, payload);

            // Every attempt reached postgres's log, and through it the worker's.
            await Eventually.ThatAsync(() => Task.FromResult(standby.CountLog(tag) >= 4), TimeSpan.FromSeconds(30), () => $"{tag} is not in the worker's log:\n{standby.Output}");
        }

        output.WriteLine($"{attempt} texts, each as a user name, a database name, application_name, RAISE LOG, a logged statement and a failing one");

        // postgres writes its lines in order: once the worker has logged this statement it has read every line before it.
        await standby.ScalarAsync("SELECT 'end-of-client-text'");
        await standby.WaitForLogAsync("end-of-client-text", TimeSpan.FromSeconds(30));

        // Replay goes on: rows written on the primary after the attempts reach the standby.
        var after = await world.WriteProbeRowsAsync("after-client-text");
        await standby.WaitForProbeAsync(after, TimeSpan.FromMinutes(1));

        Assert.Equal(postmaster, standby.PostmasterProcessId());
        Assert.Equal("streaming", standby.State);
        Assert.Equal(restoresBefore, standby.CountLog("restore of backup"));
        Assert.Equal(0, standby.CountLog("Stopping postgres to re-sync"));
        Assert.Equal(0, standby.CountLog("Re-syncing the standby"));
        Assert.Equal(0, standby.CountLog("Restarting postgres so it runs"));
        Assert.Equal(0, standby.CountLog("does not confirm")); // not even a fork check was started
        Assert.Equal(0, standby.CountLog("postgres exited"));
        Assert.Equal("True", await standby.ScalarAsync("SELECT pg_is_in_recovery()"));
    }

    /// <summary>Each trigger alone, and behind "\r" or "\n" followed by a forged line of the startup process.</summary>
    private static IEnumerable<string> Texts()
    {
        foreach (var trigger in Triggers)
        {
            yield return trigger;
            foreach (var lineBreak in new[] { "\r", "\n" })
            {
                yield return $"x{lineBreak}2026-12-03 09:00:00.000 UTC [1] startup: LOG:  {trigger}";
            }
        }
    }

    /// <summary>A login that fails: postgres logs the user or database name the client chose.</summary>
    private static async Task FailedLoginAsync(StandbyProcess standby, string user, string database, bool socket = false)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = socket ? standby.Environment["PG_SOCKET_DIR"] : "127.0.0.1",
            Port = standby.Port,
            Username = user,
            Database = database,
            Password = "wrong",
            Pooling = false,
            Timeout = 5,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
    }

    /// <summary>A client that is let in: its application_name, a RAISE LOG, a logged statement and a failing one's STATEMENT line.</summary>
    private static async Task LoggedInAsync(StandbyProcess standby, string payload)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = standby.Environment["PG_SOCKET_DIR"],
            Port = standby.Port,
            Username = "postgres",
            Database = "postgres",
            ApplicationName = payload,
            Pooling = false,
            Timeout = 5,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using (var raise = new NpgsqlCommand("DO $$ BEGIN RAISE LOG '%', current_setting('application_name'); END $$", connection))
        {
            await raise.ExecuteNonQueryAsync();
        }

        await using (var logged = new NpgsqlCommand("SELECT $1::text", connection))
        {
            logged.Parameters.AddWithValue(payload);
            await logged.ExecuteScalarAsync();
        }

        var quoted = "'" + payload.Replace("'", "''", StringComparison.Ordinal) + "'";
        await using var failing = new NpgsqlCommand($"SELECT 1 / 0, {quoted}", connection);
        await Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteScalarAsync());
    }
}
