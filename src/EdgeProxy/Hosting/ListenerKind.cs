using Microsoft.AspNetCore.Connections.Features;

namespace EdgeProxy.Hosting;

/// <summary>Marks connections accepted on the internal status listener, so its endpoints never answer on the public port.</summary>
public static class ListenerKind
{
    private const string Key = "edgeproxy.listener";
    private const string Internal = "internal";

    public static void MarkInternal(IDictionary<object, object?> connectionItems) => connectionItems[Key] = Internal;

    public static bool IsInternal(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(Key, out var value) == true && Equals(value, Internal);
}
