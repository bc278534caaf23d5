def do_index_service(service_id: int) -> None:
    return None
