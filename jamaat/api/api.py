from ninja import NinjaAPI

api = NinjaAPI(title="Jamaat API", version="1", urls_namespace="api")
