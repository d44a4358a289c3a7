using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Observability;

[Collection(WorldDefinition.Name)]
public sealed class SystemdNotifyTests(PrimaryWorld world)
{
    /// <summary>
    /// Microsoft.Extensions.Hosting.Systemd 10.0 switches itself on when its parent is named systemd, or when it is
    /// PID 1 with NOTIFY_SOCKET set: the worker runs as PID 1 of a new PID namespace, as in a container.
    /// </summary>
    [WorldFact]
    public async Task Pid1WithNotifySocket_ReadyWhileWaitingThenStatusAndWatchdog()
    {
        await using var standby = world.NewStandby("systemd"); // never started itself: its folders and environment only
        var socketPath = Path.Combine(Path.GetTempPath(), "pgstandby-notify-" + Guid.NewGuid().ToString("N")[..8]);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var messages = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                messages.Enqueue(Encoding.UTF8.GetString(buffer, 0, length));
            }
        });
        var environment = new Dictionary<string, string?>(standby.Environment)
        {
            ["NOTIFY_SOCKET"] = socketPath,
            ["WATCHDOG_USEC"] = "2000000",
        };
        var output = new ConcurrentQueue<string>();
        using var graceful = new CancellationTokenSource();
        using var forceful = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var worker = Cli.Wrap("unshare").WithArguments(["--pid", "--fork", "--mount-proc", world.Binary])
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(output.Enqueue))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(output.Enqueue))
            .ExecuteAsync(forceful.Token, graceful.Token);
        try
        {
            string All() => string.Join(" | ", messages) + "\nworker output:\n" + string.Join('\n', output);
            await Eventually.ThatAsync(
                () => Task.FromResult(messages.Any(m => m.Contains("STATUS=waiting_for_key_authorization", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(60),
                () => "no STATUS= with the waiting state: " + All());
            Assert.Contains(messages, m => m.Split('\n').Contains("READY=1"));
            var pings = messages.Count(m => m == "WATCHDOG=1");
            await Eventually.ThatAsync(
                () => Task.FromResult(messages.Count(m => m == "WATCHDOG=1") >= pings + 2),
                TimeSpan.FromSeconds(10),
                () => "no WATCHDOG=1 pings: " + All());
            Assert.DoesNotContain(messages, m => m.Contains("STATUS=streaming", StringComparison.Ordinal));
        }
        finally
        {
            // unshare does not forward signals: SIGTERM goes to the worker itself (its child, PID 1 inside).
            var unshare = worker.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var child = File.ReadAllText($"/proc/{unshare}/task/{unshare}/children").Trim();
            if (child.Length > 0)
            {
                await Shell.RunAsync("kill", ["-TERM", child.Split(' ')[0]]);
            }

            try
            {
                await worker;
            }
            catch (OperationCanceledException)
            {
                // stopped
            }

            await stop.CancelAsync();
            await Task.WhenAny(receiving, Task.Delay(1000));
            File.Delete(socketPath);
        }

        Assert.Contains(messages, m => m.Contains("STOPPING=1", StringComparison.Ordinal));
    }
}
