namespace PgStandby.IntegrationTests.World;

/// <summary>Polls a condition instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task ThatAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException or IOException)
            {
                // not there yet
            }

            await Task.Delay(250);
        }

        Assert.Fail($"not reached within {timeout.TotalSeconds:0} s: {explain()}");
    }
}
