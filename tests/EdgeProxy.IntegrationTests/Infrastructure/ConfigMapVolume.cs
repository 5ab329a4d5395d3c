using System.Runtime.InteropServices;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>
/// Writes files the way the kubelet updates a ConfigMap or Secret volume: the data goes into a new timestamped
/// directory, <c>..data_tmp</c> is pointed at it and renamed over <c>..data</c> (one atomic swap), and each visible
/// file is a symlink <c>name -> ..data/name</c> created once.
/// </summary>
public static class ConfigMapVolume
{
    private static int s_generation;

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);

    public static async Task WriteAsync(string volume, string name, IEnumerable<string> lines)
    {
        var generation = $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss}.{Interlocked.Increment(ref s_generation)}";
        Directory.CreateDirectory(Path.Combine(volume, generation));
        await File.WriteAllLinesAsync(Path.Combine(volume, generation, name), lines);

        var data = Path.Combine(volume, "..data");
        var previous = File.Exists(data) || Directory.Exists(data) ? new FileInfo(data).LinkTarget : null;
        var temporary = Path.Combine(volume, "..data_tmp");
        File.CreateSymbolicLink(temporary, generation);
        // rename(2), as the kubelet does: File.Move follows the link to the directory and will not replace ..data.
        if (Rename(temporary, data) != 0)
        {
            throw new IOException($"rename {temporary} -> {data} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var visible = Path.Combine(volume, name);
        if (new FileInfo(visible).LinkTarget is null)
        {
            File.CreateSymbolicLink(visible, Path.Combine("..data", name));
        }

        if (previous is not null)
        {
            Directory.Delete(Path.Combine(volume, previous), recursive: true);
        }
    }
}
