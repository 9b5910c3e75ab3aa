export default function onCartViewed(data) {
  // Runs on every cart view; the returned summary shows up in the event trace.
  const items = (data && data.items) || [];
  const total = items.reduce((sum, item) => sum + (item.price || 0) * (item.quantity || 1), 0);
  console.log(`cart viewed: ${items.length} item(s), total ${total}`);
  return { itemCount: items.length, total };
}
