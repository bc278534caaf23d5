from ninja import NinjaAPI

api = NinjaAPI(title="Ventanilla", version="1", urls_namespace="api")
