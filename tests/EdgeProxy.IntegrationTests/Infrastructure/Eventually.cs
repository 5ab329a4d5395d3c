using System.Diagnostics;
using System.Net;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for a condition the system reaches on its own clock (a token bucket refill, a probe cycle),
/// checking it repeatedly until a deadline. For events the test can await directly, await them instead.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(Step);
        }

        return await condition();
    }

    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan deadline) => TrueAsync(() => Task.FromResult(condition()), deadline);

    public static Task<bool> StatusAsync(HttpClient client, string path, HttpStatusCode expected, TimeSpan deadline) =>
        TrueAsync(async () =>
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode == expected;
        }, deadline);
}
