namespace PgStandby.IntegrationTests.World;

/// <summary>Kills what a killed worker leaves (its postgres, pgbackrest), as a container's death would.</summary>
internal static class Leftovers
{
    public static async Task KillAsync(string dataDirectory, string pgBackRestConfig)
    {
        foreach (var pid in Find(dataDirectory, pgBackRestConfig))
        {
            _ = NativeMethods.Kill(pid, NativeMethods.SigKill);
        }

        for (var i = 0; i < 40 && Find(dataDirectory, pgBackRestConfig).Count > 0; i++)
        {
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Every process of one standby but the worker: a command line naming one of its folders (PGDATA,
    /// its pgbackrest.conf, the ssh_config pgBackRest's ssh runs with) or a working directory in PGDATA
    /// (postgres's children retitle themselves). The primary's side of a session (pgbackrest ... :remote
    /// under the world's sshd, <paramref name="primarySshd"/>) names PGDATA too but is not the standby's.
    /// Returned as "pid command line" for failure messages.
    /// </summary>
    public static List<string> OfStandby(string standbyDirectory, string dataDirectory, int primarySshd)
    {
        var found = new List<string>();
        foreach (var directory in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == System.Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                var workingDirectory = new DirectoryInfo(Path.Combine(directory, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                if ((commandLine.Contains(standbyDirectory + "/", StringComparison.Ordinal) || workingDirectory == dataDirectory) && !Descends(pid, primarySshd))
                {
                    found.Add($"{pid} {commandLine}");
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // the process ended meanwhile
            }
        }

        return found;
    }

    private static bool Descends(int pid, int ancestor)
    {
        for (var current = pid; current > 1;)
        {
            var stat = File.ReadAllText($"/proc/{current}/stat");
            current = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Processes whose command line names this standby's PGDATA or pgBackRest config.</summary>
    public static List<int> Find(string dataDirectory, string pgBackRestConfig)
    {
        var found = new List<int>();
        foreach (var directory in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == System.Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(dataDirectory + " ", StringComparison.Ordinal) || commandLine.Contains("--config=" + pgBackRestConfig, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }

        return found;
    }
}
