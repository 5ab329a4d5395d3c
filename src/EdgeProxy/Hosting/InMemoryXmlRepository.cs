using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace EdgeProxy.Hosting;

/// <summary>
/// Keeps the data-protection key ring in memory. YARP registers data protection for session-affinity cookies,
/// which EdgeProxy does not use; left alone, ASP.NET Core writes a new key file under <c>$HOME</c> at every start,
/// which nothing reads and a read-only root filesystem refuses. (The framework's ephemeral repository is internal.)
/// </summary>
internal sealed class InMemoryXmlRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];
    private readonly Lock _gate = new();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_gate)
        {
            return _elements.Select(e => new XElement(e)).ToList();
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_gate)
        {
            _elements.Add(new XElement(element));
        }
    }
}
