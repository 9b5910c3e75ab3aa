"""``slotData`` samples a storefront slot passes to widgets, for the preview's sample picker."""
from __future__ import annotations

SLOT_SAMPLES: dict[str, dict] = {
    "Cart with items": {
        "slot": "cart.sidebar",
        "cart": {
            "id": "cart_demo_1", "currency": "USD", "itemCount": 3, "subtotal": 57.5, "total": 62.4,
            "items": [
                {"id": "li_1", "productId": "prod_tea", "name": "Green tea, 100 g", "sku": "TEA-100",
                 "price": 12.5, "quantity": 2, "image": None},
                {"id": "li_2", "productId": "prod_mug", "name": "Stoneware mug", "sku": "MUG-01",
                 "price": 32.5, "quantity": 1, "image": None},
            ],
        },
        "customer": {"id": "cust_42", "firstName": "Ada", "email": "ada@example.com"},
    },
    "Product": {
        "slot": "product.details",
        "product": {
            "id": "prod_tea", "name": "Green tea, 100 g", "slug": "green-tea-100g", "price": 12.5,
            "compareAtPrice": 15.0, "currency": "USD", "inStock": True, "stock": 14,
            "categories": ["tea"], "rating": 4.6, "reviewCount": 38,
        },
    },
    "Empty cart": {
        "slot": "cart.sidebar",
        "cart": {"id": "cart_demo_2", "currency": "USD", "itemCount": 0, "subtotal": 0, "total": 0, "items": []},
    },
    "No slot data": {},
}

WINDOW_EVENTS = ["cart-viewed", "cart-updated", "product-viewed", "checkout-started", "resize"]
PLATFORM_EVENTS = ["cart.viewed", "cart.updated", "product.viewed", "order.created", "checkout.started"]
VIEWPORTS = (("Mobile", 375), ("Tablet", 768), ("Desktop", 1280))


def window_event_for(platform_event: str) -> str:
    """The storefront announces ``cart.viewed`` to widgets as the window event ``cart-viewed``."""
    return platform_event.replace(".", "-").replace("_", "-")
