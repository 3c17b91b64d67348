def test_login_page_answers_in_indonesian(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b"Masuk" in response.data or b"Log in" in response.data
